import { LATENCY_BUCKETS, bucketColumn } from "@/lib/domain/analytics/histogram";
import { ENVIRONMENT_ROLLUPS, FULL_ROLLUPS, mergeRollupSql } from "@/lib/services/analytics/rollup-sql";

/**
 * SQL that fills the hour roll-ups with `days` of traffic: every hour, `groups` distinct
 * environment × region × API × operation × application × status class rows of about seven
 * requests each times `scale` (30 days × 2,000 groups ≈ 10 million events at scale 1, 10 million
 * a day at scale 30), with latencies spread over the
 * histogram. Environments are named `${prefix}-0..2` so a run can scope to (and delete) its own.
 */
export function seedHourRollupsSql(prefix: string, endHour: Date, days: number, groups: number, scale = 1): string {
  const histogram = Array.from({ length: LATENCY_BUCKETS }, (_, i) => bucketColumn(i));
  // The group's latency bucket: mostly 5..14 (3-70 ms), a tail in 15..22.
  const bucketOf = "(case when g % 17 = 0 then 15 + (g / 17) % 8 else 5 + g % 10 end)";
  const requests = `((6 + (g + h) % 3) * ${scale})`;
  return `
    insert into analytics_rollups_hour (bucket, environment, region, api_id, operation, application_id, status_class, requests,
      status_401, status_403, status_429, request_bytes, response_bytes, latency_sum, latency_max, upstream_latency_sum, upstream_count,
      ${histogram.join(", ")})
    select
      '${endHour.toISOString()}'::timestamptz - (h + 1) * interval '1 hour',
      '${prefix}-' || ((g / 100) % 3),
      case (g / 100) % 3 when 0 then 'eu-west-1' when 1 then 'us-east-1' else 'ap-south-1' end,
      'api_${prefix}_' || ((g / 100) % 20),
      'GET /items/{id}',
      case when (g / 4) % 25 = 0 then '' else 'app_${prefix}_' || ((g / 4) % 25) end,
      2 + g % 4,
      ${requests},
      case when g % 4 = 2 and g % 3 = 0 then ${requests} else 0 end,
      case when g % 4 = 2 and g % 3 = 1 then ${requests} else 0 end,
      case when g % 4 = 2 and g % 3 = 2 then ${requests} else 0 end,
      ${requests} * 300, ${requests} * 2400,
      ${requests} * (5 + g % 60), 250, ${requests} * (4 + g % 50), ${requests},
      ${histogram.map((_, i) => `case when ${bucketOf} = ${i} then ${requests} else 0 end`).join(",\n      ")}
    from generate_series(0, ${days * 24 - 1}) as h, generate_series(0, ${groups - 1}) as g`;
}

/**
 * The other roll-ups the worker writes beside the hour ones (days, weeks, and the environment
 * roll-ups), regrouped from the seeded rows with the worker's own merge SQL.
 */
export function deriveRollupsSql(prefix: string): string[] {
  const mine = (table: string) => `(select * from ${table} where environment like '${prefix}-%') src`;
  return [
    mergeRollupSql(FULL_ROLLUPS.tables.day!, FULL_ROLLUPS.dimensions, "day", mine(FULL_ROLLUPS.tables.hour!)),
    mergeRollupSql(FULL_ROLLUPS.tables.week!, FULL_ROLLUPS.dimensions, "week", mine(FULL_ROLLUPS.tables.day!)),
    mergeRollupSql(ENVIRONMENT_ROLLUPS.tables.hour!, ENVIRONMENT_ROLLUPS.dimensions, "hour", mine(FULL_ROLLUPS.tables.hour!)),
    mergeRollupSql(ENVIRONMENT_ROLLUPS.tables.day!, ENVIRONMENT_ROLLUPS.dimensions, "day", mine(FULL_ROLLUPS.tables.day!)),
  ];
}
