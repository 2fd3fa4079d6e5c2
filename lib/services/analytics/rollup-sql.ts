import { sql, type SQL } from "drizzle-orm";
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS, bucketColumn } from "@/lib/domain/analytics/histogram";
import type { RollupUnit } from "@/lib/domain/analytics/range-cover";

/** SQL shared by the roll-up and the queries: one definition of dimensions and measures. */

export type Resolution = RollupUnit;

export const DIMENSION_COLUMNS = ["environment", "region", "api_id", "operation", "application_id", "status_class"] as const;
export type DimensionColumn = (typeof DIMENSION_COLUMNS)[number];

/**
 * Roll-up tables over the same dimensions, one per resolution (coarsest first). Every batch is
 * added to all of them in one statement, so they always agree.
 */
export interface RollupFamily {
  dimensions: readonly DimensionColumn[];
  tables: Partial<Record<Resolution, string>>;
}

/** Every dimension; weeks serve range totals (summaries), never time series. */
export const FULL_ROLLUPS: RollupFamily = {
  dimensions: DIMENSION_COLUMNS,
  tables: {
    week: "analytics_rollups_week",
    day: "analytics_rollups_day",
    hour: "analytics_rollups_hour",
    minute: "analytics_rollups_minute",
  },
};

/**
 * Environment, region and status class only: a few rows per bucket instead of one per API ×
 * operation × application, for queries that neither filter, group nor scope by those (the
 * admin dashboard's time series, narrowed to an environment or region or not).
 */
export const ENVIRONMENT_ROLLUPS: RollupFamily = {
  dimensions: ["environment", "region", "status_class"],
  tables: { day: "analytics_env_rollups_day", hour: "analytics_env_rollups_hour", minute: "analytics_env_rollups_minute" },
};

export const ROLLUP_FAMILIES: readonly RollupFamily[] = [FULL_ROLLUPS, ENVIRONMENT_ROLLUPS];

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
 * The sums of raw events grouped per `unit` bucket and every dimension, in two steps: first
 * per exact status and latency bucket with a handful of plain aggregates (cheap per event),
 * then those far fewer rows pivoted into the roll-up's status and histogram columns.
 */
function rawEventSums(unit: Resolution, where: SQL): SQL {
  const histogram = HISTOGRAM.map((c, i) => `coalesce(sum(n) filter (where latency_bucket = ${i}), 0)::bigint as ${c}`).join(", ");
  const statuses = [401, 403, 429]
    .map((code) => `coalesce(sum(n) filter (where status = ${code}), 0)::bigint as status_${code}`)
    .join(", ");
  return sql`
    select bucket, environment, region, api_id, operation, application_id, least(status / 100, 5)::smallint as status_class,
      sum(n)::bigint as requests, ${sql.raw(statuses)}, sum(request_bytes)::bigint as request_bytes,
      sum(response_bytes)::bigint as response_bytes, sum(latency_sum) as latency_sum, max(latency_max) as latency_max,
      coalesce(sum(upstream_latency_sum), 0) as upstream_latency_sum, sum(upstream_count)::bigint as upstream_count, ${sql.raw(histogram)}
    from (
      select date_trunc('${sql.raw(unit)}', e.time, 'UTC') as bucket, e.environment, coalesce(e.region, '') as region, e.api_id,
        coalesce(e.operation, '') as operation, coalesce(e.application_id, '') as application_id, e.status,
        width_bucket(e.latency_ms, ${sql.raw(BOUNDS_SQL)}) as latency_bucket, count(*) as n, sum(e.request_bytes) as request_bytes,
        sum(e.response_bytes) as response_bytes, sum(e.latency_ms::float8) as latency_sum, max(e.latency_ms) as latency_max,
        sum(e.upstream_latency_ms::float8) as upstream_latency_sum, count(e.upstream_latency_ms) as upstream_count
      from analytics_events e where ${where}
      group by 1, 2, 3, 4, 5, 6, 7, 8) g
    group by 1, 2, 3, 4, 5, 6, 7`;
}

/**
 * `insert into <table> select … from <source> group by …`, merged into existing rows (ON
 * CONFLICT DO UPDATE adds counts and sums, keeps the max). The source must be roll-up-shaped
 * with buckets at `unit` or finer; `regroup: false` inserts a source that already has one row
 * per key of the table.
 */
export function mergeRollupSql(
  table: string,
  dimensions: readonly DimensionColumn[],
  unit: Resolution,
  source: string,
  regroup = true,
): string {
  const dims = ["bucket", ...dimensions].join(", ");
  const measures = MEASURE_COLUMNS.map((c) => (c === "latency_max" ? `max(${c})` : `sum(${c})`)).join(", ");
  const updates = MEASURE_COLUMNS.map((c) =>
    c === "latency_max" ? `${c} = greatest(t.${c}, excluded.${c})` : `${c} = t.${c} + excluded.${c}`,
  ).join(", ");
  const select = regroup
    ? `select date_trunc('${unit}', bucket, 'UTC') as bucket, ${dimensions.join(", ")}, ${measures}
    from ${source}
    group by 1, ${dimensions.join(", ")}`
    : `select ${dims}, ${MEASURE_COLUMNS.join(", ")} from ${source}`;
  return `insert into ${table} as t (${dims}, ${MEASURE_COLUMNS.join(", ")})
    ${select}
    on conflict (${dims}) do update set ${updates}`;
}

/** Staged aggregates (roll-up-shaped rows at minute resolution) matching `where`, with buckets truncated to `unit`. */
export function stagedAsRollupRows(unit: Resolution, where: SQL): SQL {
  return sql`
    select date_trunc('${sql.raw(unit)}', s.bucket, 'UTC') as bucket, ${sql.raw(DIMENSION_COLUMNS.map((c) => `s.${c}`).join(", "))},
      ${sql.raw(MEASURE_COLUMNS.map((c) => `s.${c}`).join(", "))}
    from analytics_aggregate_staging s where ${where}`;
}

/**
 * Adds the given batches to every roll-up table in one statement: the raw events of batches in
 * the event forms (`eventSeqsLiteral`), read and grouped once per minute and every dimension,
 * and the staged aggregates of batches in the aggregate form (`aggregateSeqsLiteral`); each
 * table merges that delta regrouped to its own resolution and dimensions. One statement, one
 * snapshot: the tables can never disagree about which requests they hold.
 */
export function rollUpBatches(eventSeqsLiteral: string, aggregateSeqsLiteral = "{}"): SQL {
  const merges = ROLLUP_FAMILIES.flatMap((family) =>
    Object.entries(family.tables).map(([unit, table]) => {
      const asIs = unit === "minute" && family.dimensions.length === DIMENSION_COLUMNS.length;
      return `${table.replace(/^analytics_/, "merge_")} as (${mergeRollupSql(table, family.dimensions, unit as Resolution, "delta", !asIs)})`;
    }),
  );
  const dims = DIMENSION_COLUMNS.join(", ");
  const measures = MEASURE_COLUMNS.map((c) => (c === "latency_max" ? `max(${c}) as ${c}` : `sum(${c}) as ${c}`)).join(", ");
  // One row per key, as ON CONFLICT needs: events and staged aggregates of one minute and key merge here.
  return sql`
    with delta as materialized (
      select bucket, ${sql.raw(dims)}, ${sql.raw(measures)} from (
        ${rawEventSums("minute", sql`e.batch_seq = any(${eventSeqsLiteral}::bigint[])`)}
        union all
        ${stagedAsRollupRows("minute", sql`s.batch_seq = any(${aggregateSeqsLiteral}::bigint[])`)}
      ) d group by bucket, ${sql.raw(dims)}),
    ${sql.raw(merges.join(",\n"))}
    select 1`;
}
