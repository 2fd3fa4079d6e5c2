import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { emptyAggregate, mergeAggregate, toMetrics, type Aggregate, type AnalyticsMetrics } from "@/lib/domain/analytics/metrics";
import { bucketStarts, type Interval } from "@/lib/domain/analytics/time-range";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { labelGroups } from "./labels";
import { AGGREGATE_SQL, DIMENSION_SQL, aggregateFromRow, familyFor, groupKeyOf, sourceRows } from "./query-source";
import { resolveRange, seriesPlan } from "./query-range";
import { analyticsTimeseriesSchema, type AnalyticsDimension, type AnalyticsTimeseriesInput } from "./schemas";
import { resolveScope, type ResolvedScope } from "./scope";

export interface AnalyticsPoint extends AnalyticsMetrics {
  time: string;
}

export interface AnalyticsSeries {
  key: string;
  label: string;
  points: AnalyticsPoint[];
}

export interface AnalyticsTimeseries {
  from: string;
  to: string;
  interval: Interval;
  scope: ResolvedScope["scope"];
  groupBy: AnalyticsDimension | null;
  /** Every bucket of the range, empty ones included. */
  points: AnalyticsPoint[];
  /** With groupBy: the largest groups, each over every bucket. */
  series: AnalyticsSeries[];
}

/**
 * Metrics per time bucket, and per group when asked, for what the caller may see. Buckets come
 * truncated to the interval already (roll-ups of that resolution, raw events truncated alike),
 * and without API, operation or application in play the series reads the environment roll-ups.
 */
export async function getAnalyticsTimeseries(
  input: AnalyticsTimeseriesInput,
  ctx: ServiceContext,
  now = new Date(),
): Promise<AnalyticsTimeseries> {
  const q = parseInput(analyticsTimeseriesSchema, input);
  const db = await getDb();
  const scope = await resolveScope(db, ctx, q.scope);
  const range = resolveRange({ from: q.from, to: q.to, interval: q.interval }, now);
  const groupColumns = q.groupBy ? DIMENSION_SQL[q.groupBy] : [];
  const groupList = sql.raw(["time_bucket", ...groupColumns].join(", "));
  const rows = rowsOf<Record<string, string | number | null>>(
    await db.execute(sql`
      select bucket as time_bucket${sql.raw(groupColumns.map((c) => `, ${c}`).join(""))}, ${AGGREGATE_SQL}
      from (${sourceRows(seriesPlan(range, familyFor(q, q.groupBy ? [q.groupBy] : [], scope.condition)), q, scope.condition)}) src
      group by ${groupList}`),
  );
  const starts = bucketStarts(range.from.getTime(), range.to.getTime(), range.interval);
  const timeOf = (r: Record<string, unknown>) => new Date(r.time_bucket as string | Date).getTime();
  const totals = new Map<number, Aggregate>();
  const byGroup = new Map<string, Map<number, Aggregate>>();
  const groupTotals = new Map<string, number>();
  for (const r of rows) {
    const t = timeOf(r);
    const a = aggregateFromRow(r);
    totals.set(t, mergeAggregate(totals.get(t) ?? emptyAggregate(), a));
    if (q.groupBy) {
      const key = groupKeyOf(q.groupBy, r);
      const points = byGroup.get(key) ?? new Map<number, Aggregate>();
      points.set(t, mergeAggregate(points.get(t) ?? emptyAggregate(), a));
      byGroup.set(key, points);
      groupTotals.set(key, (groupTotals.get(key) ?? 0) + a.requests);
    }
  }
  const pointsOf = (m: Map<number, Aggregate>): AnalyticsPoint[] =>
    starts.map((t) => ({ time: new Date(t).toISOString(), ...toMetrics(m.get(t) ?? emptyAggregate()) }));
  let series: AnalyticsSeries[] = [];
  if (q.groupBy) {
    const top = [...groupTotals.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, q.limit)
      .map(([k]) => k);
    const labels = await labelGroups(db, q.groupBy, top);
    series = top.map((key) => ({ key, label: labels.get(key) ?? key, points: pointsOf(byGroup.get(key)!) }));
  }
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    interval: range.interval,
    scope: scope.scope,
    groupBy: q.groupBy ?? null,
    points: pointsOf(totals),
    series,
  };
}
