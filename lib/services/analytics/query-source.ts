import { sql, type SQL } from "drizzle-orm";
import { LATENCY_BUCKETS, bucketColumn } from "@/lib/domain/analytics/histogram";
import { emptyAggregate, type Aggregate } from "@/lib/domain/analytics/metrics";
import type { CoverSegment } from "@/lib/domain/analytics/range-cover";
import {
  DIMENSION_COLUMNS,
  ENVIRONMENT_ROLLUPS,
  FULL_ROLLUPS,
  MEASURE_COLUMNS,
  rawAsRollupRows,
  stagedAsRollupRows,
  type Resolution,
  type RollupFamily,
} from "./rollup-sql";
import type { AnalyticsDimension, StatusClass } from "./schemas";

export interface SourceFilters {
  environment?: string;
  region?: string;
  apiId?: string;
  applicationId?: string;
  operation?: string;
  statusClass?: StatusClass;
}

/** Roll-up columns of each dimension ('' stands for "none"). */
export const DIMENSION_SQL: Record<AnalyticsDimension, Array<(typeof DIMENSION_COLUMNS)[number]>> = {
  environment: ["environment"],
  region: ["region"],
  apiId: ["api_id"],
  operation: ["api_id", "operation"],
  applicationId: ["application_id"],
  statusClass: ["status_class"],
};

/**
 * The smallest roll-up family holding every dimension a query filters or groups by. A scoped
 * query (anything but everything) filters by API or application, so it reads the full family.
 */
export function familyFor(filters: SourceFilters, groupBy: readonly AnalyticsDimension[], scope: SQL | null): RollupFamily {
  if (scope) return FULL_ROLLUPS;
  const needed = new Set<string>(groupBy.flatMap((d) => DIMENSION_SQL[d]));
  for (const [name, value] of Object.entries(filters))
    if (value !== undefined && Object.hasOwn(DIMENSION_SQL, name)) DIMENSION_SQL[name as AnalyticsDimension].forEach((c) => needed.add(c));
  const fits = (family: RollupFamily) => [...needed].every((c) => (family.dimensions as readonly string[]).includes(c));
  return fits(ENVIRONMENT_ROLLUPS) ? ENVIRONMENT_ROLLUPS : FULL_ROLLUPS;
}

/** The resolutions of a family from the coarsest down to `finest`, for a range aligned to `finest`. */
export function unitsDownTo(family: RollupFamily, finest: Resolution): Resolution[] {
  const order: Resolution[] = ["week", "day", "hour", "minute"];
  return order.slice(0, order.indexOf(finest) + 1).filter((u) => family.tables[u]);
}

export interface SourcePlan {
  family: RollupFamily;
  /** Disjoint aligned pieces of [from, to), each read from the family's table of its unit. */
  segments: CoverSegment[];
  /** What raw events' times are truncated to (the query's interval). */
  unit: Resolution;
  from: Date;
  to: Date;
}

/**
 * Every row in [from, to): the roll-ups of each segment plus the raw events (event forms) and
 * staged aggregates (aggregate form) of batches the worker has not rolled up yet. All parts are read in one statement, hence one snapshot, and
 * the worker stamps a batch in the same transaction that adds it to the roll-ups, so each
 * event is counted once: in the roll-ups or raw, never both, never neither. Dimensions the
 * family does not keep read as '' (only queries that do not use them read such a family).
 */
export function sourceRows(plan: SourcePlan, filters: SourceFilters, scope: SQL | null): SQL {
  const conditions: SQL[] = [];
  if (filters.environment) conditions.push(sql`environment = ${filters.environment}`);
  if (filters.region) conditions.push(sql`region = ${filters.region}`);
  if (filters.apiId) conditions.push(sql`api_id = ${filters.apiId}`);
  if (filters.applicationId) conditions.push(sql`application_id = ${filters.applicationId}`);
  if (filters.operation) conditions.push(sql`operation = ${filters.operation}`);
  if (filters.statusClass) conditions.push(sql`status_class = ${Number(filters.statusClass[0])}`);
  if (scope) conditions.push(scope);
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const kept = new Set<string>(plan.family.dimensions);
  const columns = sql.raw(
    ["bucket", ...DIMENSION_COLUMNS.map((c) => (kept.has(c) ? c : `''::text as ${c}`)), ...MEASURE_COLUMNS].join(", "),
  );
  const parts = plan.segments.map(
    (s) => sql`
      select ${columns} from ${sql.raw(plan.family.tables[s.unit]!)}
      where bucket >= ${new Date(s.from).toISOString()}::timestamptz and bucket < ${new Date(s.to).toISOString()}::timestamptz
      union all`,
  );
  return sql`
    select * from (
      ${sql.join(parts, sql` `)}
      ${rawAsRollupRows(
        plan.unit,
        sql`e.batch_seq in (select seq from analytics_batches where rolled_up_at is null and not aggregated)
          and e.time >= ${plan.from.toISOString()}::timestamptz and e.time < ${plan.to.toISOString()}::timestamptz`,
      )}
      union all
      ${stagedAsRollupRows(
        plan.unit,
        sql`s.batch_seq in (select seq from analytics_batches where rolled_up_at is null and aggregated)
          and s.bucket >= ${plan.from.toISOString()}::timestamptz and s.bucket < ${plan.to.toISOString()}::timestamptz`,
      )}
    ) s ${where}`;
}

/** The aggregate select list over sourceRows. */
export const AGGREGATE_SQL = sql.raw(
  [
    "sum(requests) as requests",
    ...[1, 2, 3, 4, 5].map((c) => `coalesce(sum(requests) filter (where status_class = ${c}), 0) as c${c}`),
    ...MEASURE_COLUMNS.filter((c) => c !== "requests").map((c) => (c === "latency_max" ? `max(${c}) as ${c}` : `sum(${c}) as ${c}`)),
  ].join(", "),
);

type Numeric = string | number | null;

export function aggregateFromRow(row: Record<string, Numeric>): Aggregate {
  const n = (k: string) => Number(row[k] ?? 0);
  if (!n("requests")) return emptyAggregate();
  return {
    requests: n("requests"),
    classes: [n("c1"), n("c2"), n("c3"), n("c4"), n("c5")],
    status401: n("status_401"),
    status403: n("status_403"),
    status429: n("status_429"),
    requestBytes: n("request_bytes"),
    responseBytes: n("response_bytes"),
    latencySum: n("latency_sum"),
    latencyMax: n("latency_max"),
    upstreamLatencySum: n("upstream_latency_sum"),
    upstreamCount: n("upstream_count"),
    histogram: Array.from({ length: LATENCY_BUCKETS }, (_, i) => n(bucketColumn(i))),
  };
}

/** The key of a group row for a dimension, '' meaning none. */
export function groupKeyOf(dimension: AnalyticsDimension, row: Record<string, unknown>): string {
  if (dimension === "operation") return `${row.api_id ?? ""} ${row.operation ?? ""}`;
  if (dimension === "statusClass") return `${row.status_class}xx`;
  return String(row[DIMENSION_SQL[dimension][0]] ?? "");
}
