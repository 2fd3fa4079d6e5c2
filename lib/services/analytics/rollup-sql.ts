import { sql, type SQL } from "drizzle-orm";
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS, bucketColumn } from "@/lib/domain/analytics/histogram";

/** SQL shared by the roll-up and the queries: one definition of dimensions and measures. */

export type Resolution = "minute" | "hour" | "day";

export const ROLLUP_TABLES: Record<Resolution, string> = { minute: "analytics_rollups_minute", hour: "analytics_rollups_hour", day: "analytics_rollups_day" };

export const DIMENSION_COLUMNS = ["environment", "region", "api_id", "operation", "application_id", "status_class"] as const;

const HISTOGRAM = Array.from({ length: LATENCY_BUCKETS }, (_, i) => bucketColumn(i));

export const MEASURE_COLUMNS = [
  "requests",
  "status_401",
  "status_403",
  "status_429",
  "request_bytes",
  "response_bytes",
  "latency_sum",
  "latency_max",
  "upstream_latency_sum",
  "upstream_count",
  ...HISTOGRAM,
] as const;

/** Sums of every measure (max for latency_max), named after their columns: rows merged stay roll-up-shaped. */
export const MEASURE_SUMS = MEASURE_COLUMNS.map((c) => (c === "latency_max" ? `max(${c}) as ${c}` : `sum(${c}) as ${c}`)).join(", ");

/** The bucket boundaries as a literal array, so that width_bucket matches bucketIndex(). */
export const BOUNDS_SQL = `array[${LATENCY_BOUNDS_MS.join(",")}]::real[]`;

/** A raw events relation (alias e) with each event as one roll-up-shaped row; `unit` truncates its time. */
export function rawAsRollupRows(unit: Resolution, where: SQL): SQL {
  const histogram = HISTOGRAM.map((c, i) => `(e.latency_bucket = ${i})::int::bigint as ${c}`).join(", ");
  return sql`
    select date_trunc('${sql.raw(unit)}', e.time, 'UTC') as bucket, e.environment, coalesce(e.region, '') as region, e.api_id,
      coalesce(e.operation, '') as operation, coalesce(e.application_id, '') as application_id,
      least(e.status / 100, 5)::smallint as status_class, 1::bigint as requests,
      (e.status = 401)::int::bigint as status_401, (e.status = 403)::int::bigint as status_403, (e.status = 429)::int::bigint as status_429,
      e.request_bytes::bigint as request_bytes, e.response_bytes::bigint as response_bytes, e.latency_ms::float8 as latency_sum,
      e.latency_ms as latency_max, coalesce(e.upstream_latency_ms, 0)::float8 as upstream_latency_sum,
      (e.upstream_latency_ms is not null)::int::bigint as upstream_count, ${sql.raw(histogram)}
    from (select e.*, width_bucket(e.latency_ms, ${sql.raw(BOUNDS_SQL)}) as latency_bucket from analytics_events e where ${where}) e`;
}

/**
 * Adds the events of the given batches to one roll-up table: one INSERT … SELECT … GROUP BY,
 * merged into existing rows (ON CONFLICT DO UPDATE adds counts and sums, keeps the max).
 */
export function rollUpBatchesInto(resolution: Resolution, seqsLiteral: string): SQL {
  const table = ROLLUP_TABLES[resolution];
  const dims = ["bucket", ...DIMENSION_COLUMNS].join(", ");
  const measures = MEASURE_COLUMNS.map((c) => (c === "latency_max" ? `max(${c})` : `sum(${c})`)).join(", ");
  const updates = MEASURE_COLUMNS.map((c) => (c === "latency_max" ? `${c} = greatest(t.${c}, excluded.${c})` : `${c} = t.${c} + excluded.${c}`)).join(", ");
  return sql`
    insert into ${sql.raw(table)} as t (${sql.raw(dims)}, ${sql.raw(MEASURE_COLUMNS.join(", "))})
    select ${sql.raw(dims)}, ${sql.raw(measures)}
    from (${rawAsRollupRows(resolution, sql`e.batch_seq = any(${seqsLiteral}::bigint[])`)}) r
    group by ${sql.raw(dims)}
    on conflict (${sql.raw(dims)}) do update set ${sql.raw(updates)}`;
}
