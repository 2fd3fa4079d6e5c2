import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { NO_APPLICATION_BREAKDOWN, vendorClassRows, type VendorMinute } from "@/lib/domain/analytics/vendor-minutes";
import { pgArray } from "./pg-array";

/** Held per environment for one pull's write, so that two workers never stage the same difference. */
const VENDOR_LOCK = 727_302;

/**
 * Stores what a third-party gateway reported for an environment's APIs (see
 * `analyticsVendorMinutes`): the difference from the last report of each API, minute and
 * status class is staged as an aggregate batch of the environment (operation unknown: '';
 * application: the vendor's "no per-application breakdown" key), and the report is remembered, in one statement under a per-environment lock.
 * A minute read again unchanged stages nothing; a minute the vendor revised stages the change.
 * Returns the requests the staged difference adds.
 */
export async function ingestVendorMinutes(
  environment: { id: string; name: string; region: string | null; type: "aws" | "azure" },
  minutes: VendorMinute[],
): Promise<{ rows: number; requests: number }> {
  const rows = minutes.flatMap(vendorClassRows);
  if (rows.length === 0) return { rows: 0, requests: 0 };
  const col = <T extends string | number>(pick: (r: (typeof rows)[number]) => T) => pgArray(rows.map(pick));
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${VENDOR_LOCK}, hashtext(${environment.id}))`);
    const [out] = rowsOf<{ rows: string | number; requests: string | number | null }>(
      await tx.execute(sql`
        with incoming as (
          select * from unnest(
            ${col((r) => r.apiId)}::text[], ${col((r) => r.minute)}::timestamptz[], ${col((r) => r.statusClass)}::smallint[],
            ${col((r) => r.requests)}::bigint[], ${col((r) => r.latencySum)}::float8[], ${col((r) => r.latencyMax)}::real[],
            ${col((r) => r.upstreamLatencySum)}::float8[], ${col((r) => r.upstreamCount)}::bigint[]
          ) as u(api_id, bucket, status_class, requests, latency_sum, latency_max, upstream_latency_sum, upstream_count)),
        delta as materialized (
          select i.*, i.requests - coalesce(v.requests, 0) as d_requests, i.latency_sum - coalesce(v.latency_sum, 0) as d_latency_sum,
            i.upstream_latency_sum - coalesce(v.upstream_latency_sum, 0) as d_upstream_latency_sum,
            i.upstream_count - coalesce(v.upstream_count, 0) as d_upstream_count
          from incoming i left join analytics_vendor_minutes v
            on v.environment_id = ${environment.id} and v.api_id = i.api_id and v.bucket = i.bucket and v.status_class = i.status_class
          where v.requests is distinct from i.requests or v.latency_sum is distinct from i.latency_sum
            or v.latency_max is distinct from i.latency_max or v.upstream_latency_sum is distinct from i.upstream_latency_sum
            or v.upstream_count is distinct from i.upstream_count),
        claimed as (
          insert into analytics_batches (batch_id, environment_id, event_count, aggregated)
          select ${randomUUID()}::uuid, ${environment.id}, least(greatest(coalesce(sum(d_requests), 0), 0), 2147483647)::int, true
          from delta having count(*) > 0
          returning seq),
        staged as (
          insert into analytics_aggregate_staging (batch_seq, bucket, environment, region, api_id, operation, application_id, status_class,
            requests, latency_sum, latency_max, upstream_latency_sum, upstream_count)
          select c.seq, d.bucket, ${environment.name}, ${environment.region ?? ""}, d.api_id, '',
            ${NO_APPLICATION_BREAKDOWN[environment.type]}, d.status_class, d.d_requests,
            d.d_latency_sum, d.latency_max, d.d_upstream_latency_sum, d.d_upstream_count
          from claimed c cross join delta d),
        saved as (
          insert into analytics_vendor_minutes (environment_id, api_id, bucket, status_class, requests, latency_sum, latency_max,
            upstream_latency_sum, upstream_count)
          select ${environment.id}, api_id, bucket, status_class, requests, latency_sum, latency_max, upstream_latency_sum, upstream_count
          from delta
          on conflict (environment_id, api_id, bucket, status_class) do update set requests = excluded.requests,
            latency_sum = excluded.latency_sum, latency_max = excluded.latency_max,
            upstream_latency_sum = excluded.upstream_latency_sum, upstream_count = excluded.upstream_count)
        select (select count(*) from delta) as rows, (select sum(d_requests) from delta) as requests`),
    );
    return { rows: Number(out?.rows ?? 0), requests: Number(out?.requests ?? 0) };
  });
}

/** Forgets reports older than the minute roll-ups' retention (they can no longer be revised into anything). */
export async function pruneVendorMinutes(before: Date): Promise<number> {
  const db = await getDb();
  const [row] = rowsOf<{ n: string | number }>(
    await db.execute(sql`
      with gone as (delete from analytics_vendor_minutes where bucket < ${before.toISOString()}::timestamptz returning 1)
      select count(*) as n from gone`),
  );
  return Number(row?.n ?? 0);
}
