import { sql, type SQL } from "drizzle-orm";
import { LATENCY_BUCKETS, bucketColumn } from "@/lib/domain/analytics/histogram";
import { emptyAggregate, type Aggregate } from "@/lib/domain/analytics/metrics";
import { DIMENSION_COLUMNS, MEASURE_COLUMNS, ROLLUP_TABLES, rawAsRollupRows, type Resolution } from "./rollup-sql";
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
 * Every row of one resolution in [from, to): the roll-ups plus the raw events of batches the
 * worker has not rolled up yet. Both halves are read in one statement, hence one snapshot, and
 * the worker stamps a batch in the same transaction that adds it to the roll-ups, so each
 * event is counted once: in the roll-ups or raw, never both, never neither.
 */
export function sourceRows(resolution: Resolution, from: Date, to: Date, filters: SourceFilters, scope: SQL | null): SQL {
  const conditions: SQL[] = [];
  if (filters.environment) conditions.push(sql`environment = ${filters.environment}`);
  if (filters.region) conditions.push(sql`region = ${filters.region}`);
  if (filters.apiId) conditions.push(sql`api_id = ${filters.apiId}`);
  if (filters.applicationId) conditions.push(sql`application_id = ${filters.applicationId}`);
  if (filters.operation) conditions.push(sql`operation = ${filters.operation}`);
  if (filters.statusClass) conditions.push(sql`status_class = ${Number(filters.statusClass[0])}`);
  if (scope) conditions.push(scope);
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const columns = sql.raw(["bucket", ...DIMENSION_COLUMNS, ...MEASURE_COLUMNS].join(", "));
  const fromIso = from.toISOString();
  const toIso = to.toISOString();
  return sql`
    select * from (
      select ${columns} from ${sql.raw(ROLLUP_TABLES[resolution])}
      where bucket >= ${fromIso}::timestamptz and bucket < ${toIso}::timestamptz
      union all
      ${rawAsRollupRows(
        resolution,
        sql`e.batch_seq in (select seq from analytics_batches where rolled_up_at is null)
          and e.time >= ${fromIso}::timestamptz and e.time < ${toIso}::timestamptz`,
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
