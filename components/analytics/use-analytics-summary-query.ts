"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { analyticsParams, fetchAnalytics, type AnalyticsFilters, type AnalyticsRange, type AnalyticsScopeParam } from "./analytics-range";

export const BREAKDOWNS = "apiId,operation,applicationId,environment,region";

export const analyticsSummaryQueryKey = (scope: AnalyticsScopeParam, range: AnalyticsRange, filters: AnalyticsFilters) =>
  ["analytics", "summary", scope, range, filters] as const;

/** Totals and the top APIs, operations, applications, environments and regions. */
export function useAnalyticsSummaryQuery(
  scope: AnalyticsScopeParam,
  range: AnalyticsRange,
  filters: AnalyticsFilters,
  refetchInterval: number | false,
) {
  return useQuery({
    queryKey: analyticsSummaryQueryKey(scope, range, filters),
    queryFn: () =>
      fetchAnalytics<AnalyticsSummary>("summary", analyticsParams(scope, range, filters, { groupBy: BREAKDOWNS, limit: "10" })),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}
