import type { AnalyticsMetrics } from "@/lib/domain/analytics/metrics";
import { formatCount, formatMs, formatPercent } from "./format";

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div
      role="group"
      aria-label={label}
      className="min-w-0 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <dl>
        <dt className="truncate text-xs font-medium tracking-wide text-slate-600 uppercase dark:text-slate-400">{label}</dt>
        {/* A figure never breaks across lines: it shrinks with the card instead. */}
        <dd className="mt-1 overflow-hidden text-xl font-semibold whitespace-nowrap tabular-nums text-ellipsis sm:text-2xl" title={value}>
          {value}
        </dd>
        {hint && (
          <dd className="mt-0.5 truncate text-xs text-slate-600 dark:text-slate-400" title={hint}>
            {hint}
          </dd>
        )}
      </dl>
    </div>
  );
}

/** The headline numbers of a range: one definition list per card, so each card reads on its own. */
export function KpiCards({ totals }: { totals: AnalyticsMetrics }) {
  return (
    <div role="group" className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-6" aria-label="Key figures">
      <Kpi label="Requests" value={formatCount(totals.requests)} hint={`${formatCount(totals.status2xx)} succeeded`} />
      <Kpi
        label="Error rate"
        value={formatPercent(totals.errorRate)}
        hint={`${formatCount(totals.status4xx)} 4xx · ${formatCount(totals.status5xx)} 5xx`}
      />
      <Kpi label="Latency p50" value={formatMs(totals.latencyP50Ms)} hint={`avg ${formatMs(totals.latencyAvgMs)}`} />
      <Kpi label="Latency p95" value={formatMs(totals.latencyP95Ms)} />
      <Kpi label="Latency p99" value={formatMs(totals.latencyP99Ms)} hint={`max ${formatMs(totals.latencyMaxMs)}`} />
      <Kpi
        label="401 · 403 · 429"
        value={`${formatCount(totals.status401)} · ${formatCount(totals.status403)} · ${formatCount(totals.status429)}`}
        hint="unauthorised · forbidden · throttled"
      />
    </div>
  );
}
