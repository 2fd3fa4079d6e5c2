import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { emptyAggregate, toMetrics, type AnalyticsMetrics } from "@/lib/domain/analytics/metrics";
import type { Interval } from "@/lib/domain/analytics/time-range";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { labelGroups } from "./labels";
import { AGGREGATE_SQL, DIMENSION_SQL, aggregateFromRow, familyFor, groupKeyOf, sourceRows } from "./query-source";
import { resolveRange, totalsPlan } from "./query-range";
import { DIMENSION_COLUMNS, MEASURE_COLUMNS } from "./rollup-sql";
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
 * Sums of the first stage, as bigint where the column is an integer: sum(bigint) yields numeric,
 * and numeric additions would make the second stage several times slower. Counts and byte
 * totals stay far below 2^63.
 */
const COMBO_SUMS = MEASURE_COLUMNS.map((c) =>
  c === "latency_max" ? `max(${c}) as ${c}` : c.endsWith("latency_sum") ? `sum(${c}) as ${c}` : `sum(${c})::bigint as ${c}`,
).join(", ");

/**
 * Totals and breakdowns (largest groups first) over a time range, for what the caller may see.
 * One scan computes them all (GROUPING SETS); latency percentiles come from the merged
 * histograms of each group. Time buckets do not matter here, so the range is read in the
 * coarsest roll-ups that fit (whole weeks of a 30-day range, days and hours at its edges).
 */
export async function getAnalyticsSummary(input: AnalyticsSummaryInput, ctx: ServiceContext, now = new Date()): Promise<AnalyticsSummary> {
  const q = parseInput(analyticsSummarySchema, input);
  const db = await getDb();
  const scope = await resolveScope(db, ctx, q.scope);
  const range = resolveRange({ from: q.from, to: q.to }, now);
  const sets = [sql`()`, ...q.groupBy.map((d) => sql.raw(`(${DIMENSION_SQL[d].join(", ")})`))];
  const used = DIMENSION_COLUMNS.filter((c) => q.groupBy.some((d) => DIMENSION_SQL[d].includes(c)));
  const selected = used.length
    ? sql.raw(`grouping(${used.join(", ")}) as grouping_mask, ${used.join(", ")},`)
    : sql.raw("0 as grouping_mask,");
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
          select ${combined}, ${sql.raw(COMBO_SUMS)}
          from (${sourceRows(totalsPlan(range, familyFor(q, q.groupBy, scope.condition)), q, scope.condition)}) src
          group by ${combined})
        select ${selected} ${AGGREGATE_SQL}
        from combos
        group by grouping sets (${sql.join(sets, sql`, `)})`),
    );
  });
  const totalsRow = rows.find((r) => Number(r.grouping_mask) === groupingMask(used, null));
  const ranked = q.groupBy.map((dimension) => {
    const mask = groupingMask(used, dimension);
    const groups = rows
      .filter((r) => Number(r.grouping_mask) === mask)
      .map((r) => ({
        key: groupKeyOf(dimension, r),
        apiId: dimension === "operation" ? String(r.api_id) : undefined,
        aggregate: aggregateFromRow(r),
      }))
      .sort((a, b) => b.aggregate.requests - a.aggregate.requests || a.key.localeCompare(b.key))
      .slice(0, q.limit);
    return { dimension, groups };
  });
  const labelled = await Promise.all(
    ranked.map(({ dimension, groups }) =>
      labelGroups(
        db,
        dimension,
        groups.map((g) => g.key),
      ),
    ),
  );
  const breakdowns: AnalyticsSummary["breakdowns"] = {};
  ranked.forEach(({ dimension, groups }, i) => {
    breakdowns[dimension] = groups.map((g) => ({
      key: g.key,
      label: labelled[i].get(g.key) ?? g.key,
      ...(g.apiId ? { apiId: g.apiId } : {}),
      ...toMetrics(g.aggregate),
    }));
  });
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    interval: range.interval,
    scope: scope.scope,
    totals: toMetrics(totalsRow ? aggregateFromRow(totalsRow) : emptyAggregate()),
    breakdowns,
  };
}
