import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { emptyAggregate, toMetrics, type AnalyticsMetrics } from "@/lib/domain/analytics/metrics";
import type { Interval } from "@/lib/domain/analytics/time-range";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { labelGroups } from "./labels";
import { AGGREGATE_SQL, DIMENSION_SQL, aggregateFromRow, groupKeyOf, sourceRows } from "./query-source";
import { resolutionFor, resolveRange } from "./query-range";
import { DIMENSION_COLUMNS, MEASURE_SUMS } from "./rollup-sql";
import { analyticsSummarySchema, type AnalyticsDimension, type AnalyticsSummaryInput } from "./schemas";
import { resolveScope, type ResolvedScope } from "./scope";

export interface AnalyticsGroup extends AnalyticsMetrics {
  key: string;
  label: string;
  /** For operation groups: the API the operation belongs to. */
  apiId?: string;
}

export interface AnalyticsSummary {
  from: string;
  to: string;
  interval: Interval;
  scope: ResolvedScope["scope"];
  totals: AnalyticsMetrics;
  breakdowns: Partial<Record<AnalyticsDimension, AnalyticsGroup[]>>;
}

/** grouping() over the columns in use: a bit set for each column a grouping set leaves out. */
function groupingMask(columns: readonly string[], dimension: AnalyticsDimension | null): number {
  const included = new Set<string>(dimension ? DIMENSION_SQL[dimension] : []);
  return columns.reduce((mask, column, i) => (included.has(column) ? mask : mask | (1 << (columns.length - 1 - i))), 0);
}

/**
 * Totals and breakdowns (largest groups first) over a time range, for what the caller may see.
 * One scan computes them all (GROUPING SETS); latency percentiles come from the merged
 * histograms of each group.
 */
export async function getAnalyticsSummary(input: AnalyticsSummaryInput, ctx: ServiceContext, now = new Date()): Promise<AnalyticsSummary> {
  const q = parseInput(analyticsSummarySchema, input);
  const db = await getDb();
  const scope = await resolveScope(db, ctx, q.scope);
  const range = resolveRange({ from: q.from, to: q.to }, now);
  const sets = [sql`()`, ...q.groupBy.map((d) => sql.raw(`(${DIMENSION_SQL[d].join(", ")})`))];
  const used = DIMENSION_COLUMNS.filter((c) => q.groupBy.some((d) => DIMENSION_SQL[d].includes(c)));
  const selected = used.length ? sql.raw(`grouping(${used.join(", ")}) as grouping_mask, ${used.join(", ")},`) : sql.raw("0 as grouping_mask,");
  // Two stages: first merge the range's buckets into one row per combination of the dimensions
  // in use (and status class, which the totals split by), then group those few rows by each
  // grouping set. The wide sums run once per source row instead of once per set.
  const combined = sql.raw([...new Set([...used, "status_class"])].join(", "));
  const rows = await db.transaction(async (tx) => {
    // Hash aggregation of the wide roll-up rows needs more than the default 4 MB to stay in memory.
    await tx.execute(sql`set local work_mem = '64MB'`);
    return rowsOf<Record<string, string | number | null>>(
      await tx.execute(sql`
        with combos as (
          select ${combined}, ${sql.raw(MEASURE_SUMS)}
          from (${sourceRows(resolutionFor(range.interval), range.from, range.to, q, scope.condition)}) src
          group by ${combined})
        select ${selected} ${AGGREGATE_SQL}
        from combos
        group by grouping sets (${sql.join(sets, sql`, `)})`),
    );
  });
  const totalsRow = rows.find((r) => Number(r.grouping_mask) === groupingMask(used, null));
  const breakdowns: AnalyticsSummary["breakdowns"] = {};
  for (const dimension of q.groupBy) {
    const mask = groupingMask(used, dimension);
    const groups = rows
      .filter((r) => Number(r.grouping_mask) === mask)
      .map((r) => ({ key: groupKeyOf(dimension, r), apiId: dimension === "operation" ? String(r.api_id) : undefined, aggregate: aggregateFromRow(r) }))
      .sort((a, b) => b.aggregate.requests - a.aggregate.requests || a.key.localeCompare(b.key))
      .slice(0, q.limit);
    const labels = await labelGroups(db, dimension, groups.map((g) => g.key));
    breakdowns[dimension] = groups.map((g) => ({ key: g.key, label: labels.get(g.key) ?? g.key, ...(g.apiId ? { apiId: g.apiId } : {}), ...toMetrics(g.aggregate) }));
  }
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    interval: range.interval,
    scope: scope.scope,
    totals: toMetrics(totalsRow ? aggregateFromRow(totalsRow) : emptyAggregate()),
    breakdowns,
  };
}
