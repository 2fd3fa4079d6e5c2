"use client";

import { Download, RefreshCw } from "lucide-react";
import { useId, useMemo, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/field";
import type { AnalyticsGroup } from "@/lib/services/analytics/get-analytics-summary";
import { rangeBounds, type AnalyticsFilters, type AnalyticsRange, type AnalyticsScopeParam } from "./analytics-range";
import { formatBytes } from "./format";
import { KpiCards } from "./kpi-cards";
import { LatencyChart } from "./latency-chart";
import { RequestsChart } from "./requests-chart";
import { TimeRangePicker } from "./time-range-picker";
import { analyticsCsv } from "./to-csv";
import { TopTable } from "./top-table";
import { useAnalyticsSummaryQuery } from "./use-analytics-summary-query";
import { useAnalyticsTimeseriesQuery } from "./use-analytics-timeseries-query";

const REFRESH_MS = 15_000;

export interface AnalyticsEmptyState {
  title: string;
  body: ReactNode;
  action?: ReactNode;
}

/** Filter options from the current breakdown, keeping the selected value listed. */
function optionsOf(groups: AnalyticsGroup[] | undefined, selected: string | undefined): Array<{ key: string; label: string }> {
  const options = (groups ?? []).map((g) => ({ key: g.key, label: g.label }));
  if (selected !== undefined && !options.some((o) => o.key === selected)) options.push({ key: selected, label: selected || "No region" });
  return options.sort((a, b) => a.label.localeCompare(b.label));
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

/**
 * The analytics dashboard of one portal. The scope decides whose traffic (the server checks it
 * again); the empty state says what to do when there is no traffic yet.
 */
export function AnalyticsDashboard({ scope, empty, showApplications = true }: { scope: AnalyticsScopeParam; empty: AnalyticsEmptyState; showApplications?: boolean }) {
  const id = useId();
  const [range, setRange] = useState<AnalyticsRange>({ preset: "24h" });
  const [filters, setFilters] = useState<AnalyticsFilters>({});
  const [autoRefresh, setAutoRefresh] = useState(true);
  const refetch = autoRefresh ? REFRESH_MS : false;
  const summary = useAnalyticsSummaryQuery(scope, range, filters, refetch);
  const series = useAnalyticsTimeseriesQuery(scope, range, filters, refetch);
  const environments = optionsOf(summary.data?.breakdowns.environment, filters.environment);
  const regions = optionsOf(summary.data?.breakdowns.region, filters.region);
  const error = summary.error ?? series.error;
  const loading = !summary.data || !series.data;
  const totals = summary.data?.totals;
  const filtered = !!filters.environment || filters.region !== undefined;
  const updatedAt = useMemo(() => (summary.dataUpdatedAt ? new Date(summary.dataUpdatedAt).toLocaleTimeString() : null), [summary.dataUpdatedAt]);

  const exportCsv = () => {
    if (!summary.data || !series.data) return;
    const { from, to } = rangeBounds(range);
    download(`meridian-analytics-${from.slice(0, 16)}-${to.slice(0, 16)}.csv`.replace(/:/g, ""), analyticsCsv({ points: series.data.points, breakdowns: summary.data.breakdowns }));
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <TimeRangePicker value={range} onChange={setRange} />
        <div className="flex items-center gap-2">
          <label htmlFor={`${id}-env`} className="sr-only">
            Environment
          </label>
          <Select id={`${id}-env`} className="h-8 w-auto py-1" value={filters.environment ?? ""} onChange={(e) => setFilters((f) => ({ ...f, environment: e.target.value || undefined }))}>
            <option value="">All environments</option>
            {environments.map((g) => (
              <option key={g.key} value={g.key}>
                {g.label}
              </option>
            ))}
          </Select>
          <label htmlFor={`${id}-region`} className="sr-only">
            Region
          </label>
          <Select
            id={`${id}-region`}
            className="h-8 w-auto py-1"
            value={filters.region === undefined ? "*" : filters.region}
            onChange={(e) => setFilters((f) => ({ ...f, region: e.target.value === "*" ? undefined : e.target.value }))}
          >
            <option value="*">All regions</option>
            {regions.map((g) => (
              <option key={g.key} value={g.key}>
                {g.label}
              </option>
            ))}
          </Select>
        </div>
        <div className="ml-auto flex items-center gap-3">
          <label className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
            <input type="checkbox" checked={autoRefresh} onChange={(e) => setAutoRefresh(e.target.checked)} className="h-4 w-4 rounded border-slate-300 accent-brand-600" />
            Auto-refresh
          </label>
          <Button size="sm" variant="ghost" onClick={() => void Promise.all([summary.refetch(), series.refetch()])} aria-label="Refresh now" title={updatedAt ? `Updated ${updatedAt}` : undefined}>
            <RefreshCw className={`h-4 w-4 ${summary.isFetching || series.isFetching ? "animate-spin" : ""}`} aria-hidden />
          </Button>
          <Button size="sm" variant="secondary" onClick={exportCsv} disabled={loading}>
            <Download className="h-4 w-4" aria-hidden />
            Export CSV
          </Button>
        </div>
      </div>

      {error && (
        <div role="alert" className="flex items-center justify-between gap-4 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-700 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
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
        <EmptyState title={filtered ? "No traffic matches these filters" : empty.title} action={filtered ? <Button variant="secondary" onClick={() => setFilters({})}>Clear filters</Button> : empty.action}>
          {filtered ? "Choose another environment or region, or widen the time range." : empty.body}
        </EmptyState>
      ) : (
        <>
          <KpiCards totals={totals!} />
          <div className="grid gap-6 xl:grid-cols-2">
            <Card>
              <CardHeader title="Requests over time" description={`Per ${series.data!.interval}, by status class. ${formatBytes(totals!.responseBytes)} sent to clients.`} />
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
            <TopTable title="Top operations" groups={summary.data!.breakdowns.operation ?? []} total={totals!.requests} empty="No operation traffic." />
            {showApplications && <TopTable title="Top applications" groups={summary.data!.breakdowns.applicationId ?? []} total={totals!.requests} empty="No application traffic." />}
            <TopTable title="By environment" groups={summary.data!.breakdowns.environment ?? []} total={totals!.requests} empty="No environment traffic." />
            <TopTable title="By region" groups={summary.data!.breakdowns.region ?? []} total={totals!.requests} empty="No region traffic." />
          </div>
        </>
      )}
    </div>
  );
}
