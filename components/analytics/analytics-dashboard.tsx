"use client";

import { Download, RefreshCw } from "lucide-react";
import { usePathname, useSearchParams } from "next/navigation";
import { useId, useMemo, useState, type ReactNode } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/field";
import { noBreakdownLabel } from "@/lib/domain/analytics/vendor-minutes";
import { formatTime } from "@/lib/domain/datetime";
import type { AnalyticsGroup, AnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import type { AnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import type { AnalyticsFilterOption, AnalyticsFilterOptions } from "@/lib/services/analytics/list-analytics-filter-options";
import {
  analyticsParams,
  fetchAnalytics,
  rangeBounds,
  type AnalyticsFilters,
  type AnalyticsRange,
  type AnalyticsScopeParam,
} from "./analytics-range";
import { readDashboardState, writeDashboardState, type DashboardState } from "./dashboard-url";
import { formatBytes } from "./format";
import { KpiCards } from "./kpi-cards";
import { LatencyChart } from "./latency-chart";
import { RequestsChart } from "./requests-chart";
import { TimeRangePicker } from "./time-range-picker";
import { analyticsCsv } from "./to-csv";
import { TopTable } from "./top-table";
import { BREAKDOWNS, useAnalyticsSummaryQuery } from "./use-analytics-summary-query";
import { useAnalyticsTimeseriesQuery } from "./use-analytics-timeseries-query";

const REFRESH_MS = 15_000;
/** Groups per breakdown in the CSV: every group the API returns, not the ten on screen. */
const CSV_LIMIT = "100";

export interface AnalyticsEmptyState {
  title: string;
  body: ReactNode;
  action?: ReactNode;
}

/** Filter options, keeping the selected value listed (a shared link may name one not offered). */
function withSelected(
  options: AnalyticsFilterOption[],
  selected: string | undefined,
  fallback: (value: string) => string,
): AnalyticsFilterOption[] {
  if (selected === undefined || options.some((o) => o.value === selected)) return options;
  return [...options, { value: selected, label: fallback(selected) }];
}

/** Region options come from the current breakdown. */
function regionOptions(groups: AnalyticsGroup[] | undefined, selected: string | undefined): AnalyticsFilterOption[] {
  const options = (groups ?? []).map((g) => ({ value: g.key, label: g.label }));
  return withSelected(options, selected, (v) => v || "No region").sort((a, b) => a.label.localeCompare(b.label));
}

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Skeleton({ className }: { className: string }) {
  return <div className={`animate-pulse rounded-lg bg-slate-200/70 dark:bg-slate-800/70 ${className}`} aria-hidden />;
}

function FilterSelect({
  id,
  label,
  all,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  all: string;
  value: string | undefined;
  options: AnalyticsFilterOption[];
  onChange: (value: string | undefined) => void;
}) {
  return (
    <div className="min-w-0 grow basis-[calc(50%-0.25rem)] sm:grow-0 sm:basis-auto">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Select
        id={id}
        className="h-8 w-full py-1 sm:w-auto sm:max-w-56"
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

const NO_OPTIONS: AnalyticsFilterOptions = { apis: [], applications: [], environments: [] };

/**
 * The analytics dashboard of one portal. The scope decides whose traffic (the server checks it
 * again); the empty state says what to do when there is no traffic yet. The range and the
 * filters live in the URL, so a filtered view is a link to share.
 */
export function AnalyticsDashboard({
  scope,
  empty,
  showApplications = true,
  filterOptions = NO_OPTIONS,
}: {
  scope: AnalyticsScopeParam;
  empty: AnalyticsEmptyState;
  showApplications?: boolean;
  filterOptions?: AnalyticsFilterOptions;
}) {
  const id = useId();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const { range, filters } = useMemo(() => readDashboardState(new URLSearchParams(searchParams.toString())), [searchParams]);
  // Next.js keeps useSearchParams in step with history.replaceState: no server round trip.
  const update = (next: Partial<DashboardState>) => {
    const query = writeDashboardState({ range, filters, ...next }).toString();
    window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
  };
  const setRange = (r: AnalyticsRange) => update({ range: r });
  const setFilter = (changes: Partial<AnalyticsFilters>) => update({ filters: { ...filters, ...changes } });
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [exporting, setExporting] = useState(false);
  const refetch = autoRefresh ? REFRESH_MS : false;
  const summary = useAnalyticsSummaryQuery(scope, range, filters, refetch);
  const series = useAnalyticsTimeseriesQuery(scope, range, filters, refetch);
  const apis = withSelected(filterOptions.apis, filters.apiId, (v) => v);
  const applications = withSelected(filterOptions.applications, filters.applicationId, (v) => v);
  const environments = withSelected(filterOptions.environments, filters.environment, (v) => v);
  const regions = regionOptions(summary.data?.breakdowns.region, filters.region);
  const error = summary.error ?? series.error;
  const loading = !summary.data || !series.data;
  const totals = summary.data?.totals;
  const filtered = !!(filters.apiId || filters.applicationId || filters.environment) || filters.region !== undefined;
  const updatedAt = useMemo(
    () => (summary.dataUpdatedAt ? formatTime(summary.dataUpdatedAt, { seconds: true }) : null),
    [summary.dataUpdatedAt],
  );

  const exportCsv = async () => {
    setExporting(true);
    try {
      // The same range and filters as on screen, read once more with every group of each breakdown.
      const bounds = rangeBounds(range);
      const fixed: AnalyticsRange = { preset: "custom", ...bounds };
      const [all, points] = await Promise.all([
        fetchAnalytics<AnalyticsSummary>("summary", analyticsParams(scope, fixed, filters, { groupBy: BREAKDOWNS, limit: CSV_LIMIT })),
        fetchAnalytics<AnalyticsTimeseries>("timeseries", analyticsParams(scope, fixed, filters)),
      ]);
      const labelOf = (options: AnalyticsFilterOption[], value: string) => options.find((o) => o.value === value)?.label ?? value;
      const named = [
        filters.apiId && { name: "apiId", value: filters.apiId, label: labelOf(apis, filters.apiId) },
        filters.applicationId && {
          name: "applicationId",
          value: filters.applicationId,
          label: labelOf(applications, filters.applicationId),
        },
        filters.environment && { name: "environment", value: filters.environment, label: labelOf(environments, filters.environment) },
        filters.region !== undefined && { name: "region", value: filters.region, label: labelOf(regions, filters.region) },
      ].filter((f): f is { name: string; value: string; label: string } => !!f);
      const suffix = filters.apiId ? `-${labelOf(apis, filters.apiId).replace(/[^\w.-]+/g, "_")}` : "";
      download(
        `meridian-analytics${suffix}-${bounds.from.slice(0, 16)}-${bounds.to.slice(0, 16)}.csv`.replace(/:/g, ""),
        analyticsCsv({ filters: named, points: points.points, breakdowns: all.breakdowns }),
      );
    } catch (e) {
      toast.error(e instanceof Error ? e.message : "The export failed.");
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <TimeRangePicker value={range} onChange={setRange} />
        <div role="group" aria-label="Filters" className="flex w-full flex-wrap items-center gap-2 sm:w-auto">
          <FilterSelect
            id={`${id}-api`}
            label="API"
            all="All APIs"
            value={filters.apiId}
            options={apis}
            onChange={(v) => setFilter({ apiId: v })}
          />
          {showApplications && (
            <FilterSelect
              id={`${id}-app`}
              label="Application"
              all="All applications"
              value={filters.applicationId}
              options={applications}
              onChange={(v) => setFilter({ applicationId: v })}
            />
          )}
          <FilterSelect
            id={`${id}-env`}
            label="Environment"
            all="All environments"
            value={filters.environment}
            options={environments}
            onChange={(v) => setFilter({ environment: v })}
          />
          <div className="min-w-0 grow basis-[calc(50%-0.25rem)] sm:grow-0 sm:basis-auto">
            <label htmlFor={`${id}-region`} className="sr-only">
              Region
            </label>
            <Select
              id={`${id}-region`}
              className="h-8 w-full py-1 sm:w-auto sm:max-w-56"
              value={filters.region === undefined ? "*" : filters.region}
              onChange={(e) => setFilter({ region: e.target.value === "*" ? undefined : e.target.value })}
            >
              <option value="*">All regions</option>
              {regions.map((g) => (
                <option key={g.value} value={g.value}>
                  {g.label}
                </option>
              ))}
            </Select>
          </div>
          {filtered && (
            <Button size="sm" variant="ghost" onClick={() => update({ filters: {} })}>
              Clear filters
            </Button>
          )}
        </div>
        <div className="ml-auto flex items-center gap-3">
          <label className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
            <input
              type="checkbox"
              checked={autoRefresh}
              onChange={(e) => setAutoRefresh(e.target.checked)}
              className="h-4 w-4 rounded border-slate-300 accent-brand-600"
            />
            Auto-refresh
          </label>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => void Promise.all([summary.refetch(), series.refetch()])}
            aria-label="Refresh now"
            title={updatedAt ? `Updated ${updatedAt}` : undefined}
          >
            <RefreshCw className={`h-4 w-4 ${summary.isFetching || series.isFetching ? "animate-spin" : ""}`} aria-hidden />
          </Button>
          <Button size="sm" variant="secondary" onClick={() => void exportCsv()} disabled={loading || exporting}>
            <Download className="h-4 w-4" aria-hidden />
            Export CSV
          </Button>
        </div>
      </div>

      {error && (
        <div
          role="alert"
          className="flex items-center justify-between gap-4 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-700 dark:border-red-900 dark:bg-red-950 dark:text-red-300"
        >
          <span>{error.message}</span>
          <Button size="sm" variant="secondary" onClick={() => void Promise.all([summary.refetch(), series.refetch()])}>
            Try again
          </Button>
        </div>
      )}

      {loading ? (
        <div role="status" aria-label="Loading analytics" className="space-y-6">
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-6">
            {Array.from({ length: 6 }, (_, i) => (
              <Skeleton key={i} className="h-20" />
            ))}
          </div>
          <Skeleton className="h-72" />
        </div>
      ) : totals!.requests === 0 ? (
        <EmptyState
          title={filtered ? "No traffic matches these filters" : empty.title}
          action={
            filtered ? (
              <Button variant="secondary" onClick={() => update({ filters: {} })}>
                Clear filters
              </Button>
            ) : (
              empty.action
            )
          }
        >
          {filtered ? "Choose another API, application, environment or region, or widen the time range." : empty.body}
        </EmptyState>
      ) : (
        <>
          <KpiCards totals={totals!} />
          <div className="grid gap-6 xl:grid-cols-2">
            <Card>
              <CardHeader
                title="Requests over time"
                description={`Per ${series.data!.interval}, by status class. ${formatBytes(totals!.responseBytes)} sent to clients.`}
              />
              <CardBody>
                <RequestsChart data={series.data!} />
              </CardBody>
            </Card>
            <Card>
              <CardHeader title="Latency" description="p50, p95 and p99 from merged latency histograms." />
              <CardBody>
                <LatencyChart data={series.data!} />
              </CardBody>
            </Card>
          </div>
          <div className="grid gap-6 lg:grid-cols-2">
            <TopTable title="Top APIs" groups={summary.data!.breakdowns.apiId ?? []} total={totals!.requests} empty="No API traffic." />
            <TopTable
              title="Top operations"
              groups={summary.data!.breakdowns.operation ?? []}
              total={totals!.requests}
              empty="No operation traffic."
            />
            {showApplications && (
              <TopTable
                title="Top applications"
                groups={summary.data!.breakdowns.applicationId ?? []}
                total={totals!.requests}
                empty="No application traffic."
                note={
                  (summary.data!.breakdowns.applicationId ?? []).some((g) => noBreakdownLabel(g.key))
                    ? "AWS API Gateway and Azure API Management report traffic per API, not per application: their calls show as one row of their own (not as zero), without latency percentiles."
                    : null
                }
              />
            )}
            <TopTable
              title="By environment"
              groups={summary.data!.breakdowns.environment ?? []}
              total={totals!.requests}
              empty="No environment traffic."
            />
            <TopTable
              title="By region"
              groups={summary.data!.breakdowns.region ?? []}
              total={totals!.requests}
              empty="No region traffic."
            />
          </div>
        </>
      )}
    </div>
  );
}
