"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import { analyticsParams, fetchAnalytics, type AnalyticsFilters, type AnalyticsRange, type AnalyticsScopeParam } from "./analytics-range";

export const analyticsTimeseriesQueryKey = (scope: AnalyticsScopeParam, range: AnalyticsRange, filters: AnalyticsFilters) =>
  ["analytics", "timeseries", scope, range, filters] as const;

/** Requests, errors and latency per time bucket (the interval follows the range). */
export function useAnalyticsTimeseriesQuery(
  scope: AnalyticsScopeParam,
  range: AnalyticsRange,
  filters: AnalyticsFilters,
  refetchInterval: number | false,
) {
  return useQuery({
    queryKey: analyticsTimeseriesQueryKey(scope, range, filters),
    queryFn: () => fetchAnalytics<AnalyticsTimeseries>("timeseries", analyticsParams(scope, range, filters)),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}
