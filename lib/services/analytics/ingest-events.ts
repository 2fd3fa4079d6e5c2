import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { LATENCY_BUCKETS, bucketColumn } from "@/lib/domain/analytics/histogram";
import {
  aggregateAnalyticsBatchSchema,
  parseAnyAnalyticsBatch,
  type AggregateAnalyticsBatch,
  type MinuteAggregate,
} from "@/lib/domain/analytics/aggregate-batch";
import { analyticsBatchSchemaOf, expandAnalyticsBatch, type AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/services/validate";
import { pgArray } from "./pg-array";

const MAX_PATH = 2000;

/**
 * Stores one gateway batch, in its full or its compact form (see `compactAnalyticsBatchSchema`).
 * The whole batch is validated before anything is written, and the batch id and its events
 * commit together: a malformed batch is refused whole, and a batch delivered again (the gateway
 * did not see our answer) is acknowledged without being stored twice. The batch row and the
 * events go in as one statement (the events as INSERT … SELECT FROM unnest(arrays), one
 * parameter per column whatever the batch size), atomic on its own: no transaction held open
 * across round trips, which on the embedded database would keep every other client waiting for
 * its turn.
 */
export async function ingestEvents(
  environment: { id: string; name: string },
  input: unknown,
): Promise<{ stored: number; duplicate: boolean }> {
  if (typeof input === "object" && input !== null && (input as { format?: unknown }).format === 3)
    return ingestAggregates(environment, parseInput(aggregateAnalyticsBatchSchema, input));
  const batch = expandAnalyticsBatch(parseInput(analyticsBatchSchemaOf(input), input));
  checkEnvironment(environment, batch.events);
  return storeBatch(environment, batch.batchId, batch.events, [], false);
}

function checkEnvironment(environment: { name: string }, events: AnalyticsEvent[], aggregates: MinuteAggregate[] = []): void {
  const foreign = events.find((e) => e.environment !== environment.name);
  if (foreign)
    throw new AppError(
      "forbidden",
      `Event ${foreign.id} names environment ${foreign.environment}, but the token is for ${environment.name}.`,
    );
  const other = aggregates.find((a) => a.group.environment !== environment.name);
  if (other)
    throw new AppError("forbidden", `An aggregate names environment ${other.group.environment}, but the token is for ${environment.name}.`);
}

/**
 * A batch in the aggregate form (`format: 3`): its per-minute aggregates are staged for the
 * roll-ups and its sampled raw events are stored for the recent calls and errors, in the same
 * single statement that claims the batch id. The batch is marked `aggregated`, so its raw
 * events are never counted: every request is in the aggregates, once.
 */
async function ingestAggregates(
  environment: { id: string; name: string },
  input: AggregateAnalyticsBatch,
): Promise<{ stored: number; duplicate: boolean }> {
  const { events, aggregates } = parseAnyAnalyticsBatch(input);
  checkEnvironment(environment, events, aggregates);
  return storeBatch(environment, input.batchId, events, aggregates, true);
}

/** The batch row, its raw events and its staged aggregates: one statement, atomic on its own. */
async function storeBatch(
  environment: { id: string; name: string },
  batchId: string,
  ev: AnalyticsEvent[],
  ag: MinuteAggregate[],
  aggregated: boolean,
): Promise<{ stored: number; duplicate: boolean }> {
  const requests = aggregated ? ag.reduce((n, a) => n + a.requests, 0) : ev.length;
  const col = <T extends string | number | null | undefined>(pick: (e: (typeof ev)[number]) => T) => pgArray(ev.map(pick));
  const acol = <T extends string | number | null | undefined>(pick: (a: MinuteAggregate) => T) => pgArray(ag.map(pick));
  const histogram = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `h[${i + 1}]`).join(", ");
  const db = await getDb();
  const claimed = rowsOf<{ seq: string | number | null }>(
    await db.execute(sql`
      with claimed as (
        insert into analytics_batches (batch_id, environment_id, event_count, aggregated)
        values (${batchId}, ${environment.id}, ${Math.min(requests, 2 ** 31 - 1)}, ${aggregated})
        on conflict (batch_id) do nothing
        returning seq),
      stored as (
        insert into analytics_events (id, batch_id, batch_seq, time, environment, instance_id, region, api_id, operation, application_id,
          key_type, method, path, status, latency_ms, upstream_latency_ms, request_bytes, response_bytes, error_code)
        select u.id, ${batchId}::uuid, c.seq, u.time, u.environment, u.instance_id, u.region, u.api_id, u.operation, u.application_id,
          u.key_type, u.method, u.path, u.status, u.latency_ms, u.upstream_latency_ms, u.request_bytes, u.response_bytes, u.error_code
        from claimed c cross join unnest(
          ${col((e) => e.id)}::uuid[], ${col((e) => e.time)}::timestamptz[], ${col((e) => e.environment)}::text[],
          ${col((e) => e.instanceId)}::text[], ${col((e) => e.region)}::text[], ${col((e) => e.apiId)}::text[],
          ${col((e) => e.operation)}::text[], ${col((e) => e.applicationId)}::text[], ${col((e) => e.keyType)}::text[],
          ${col((e) => e.method)}::text[], ${col((e) => e.path.slice(0, MAX_PATH))}::text[], ${col((e) => e.status)}::integer[],
          ${col((e) => e.latencyMs)}::real[], ${col((e) => e.upstreamLatencyMs)}::real[], ${col((e) => e.requestBytes)}::integer[],
          ${col((e) => e.responseBytes)}::integer[], ${col((e) => e.errorCode)}::text[]
        ) as u(id, time, environment, instance_id, region, api_id, operation, application_id, key_type, method, path, status,
          latency_ms, upstream_latency_ms, request_bytes, response_bytes, error_code)),
      staged as (
        insert into analytics_aggregate_staging (batch_seq, bucket, environment, region, api_id, operation, application_id, status_class,
          requests, status_401, status_403, status_429, request_bytes, response_bytes, latency_sum, latency_max, upstream_latency_sum,
          upstream_count, ${sql.raw(HISTOGRAM_COLUMNS)})
        select c.seq, u.bucket, u.environment, u.region, u.api_id, u.operation, u.application_id, u.status_class, u.requests,
          u.status_401, u.status_403, u.status_429, u.request_bytes, u.response_bytes, u.latency_sum, u.latency_max,
          u.upstream_latency_sum, u.upstream_count, ${sql.raw(histogram)}
        from claimed c cross join lateral (
          select u.*, u.histogram::bigint[] as h from unnest(
            ${acol((a) => a.minute)}::timestamptz[], ${acol((a) => a.group.environment)}::text[], ${acol((a) => a.group.region ?? "")}::text[],
            ${acol((a) => a.group.apiId)}::text[], ${acol((a) => a.group.operation ?? "")}::text[],
            ${acol((a) => a.group.applicationId ?? "")}::text[], ${acol((a) => a.statusClass)}::smallint[], ${acol((a) => a.requests)}::bigint[],
            ${acol((a) => a.status401)}::bigint[], ${acol((a) => a.status403)}::bigint[], ${acol((a) => a.status429)}::bigint[],
            ${acol((a) => a.requestBytes)}::bigint[], ${acol((a) => a.responseBytes)}::bigint[], ${acol((a) => a.latencySum)}::float8[],
            ${acol((a) => a.latencyMax)}::real[], ${acol((a) => a.upstreamLatencySum)}::float8[], ${acol((a) => a.upstreamCount)}::bigint[],
            ${acol((a) => `{${a.histogram.join(",")}}`)}::text[]
          ) as u(bucket, environment, region, api_id, operation, application_id, status_class, requests, status_401, status_403,
            status_429, request_bytes, response_bytes, latency_sum, latency_max, upstream_latency_sum, upstream_count, histogram)) u)
      select (select seq from claimed) as seq`),
  );
  if (claimed[0]?.seq === null || claimed[0]?.seq === undefined) return { stored: 0, duplicate: true };
  return { stored: aggregated ? requests : ev.length, duplicate: false };
}

const HISTOGRAM_COLUMNS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => bucketColumn(i)).join(", ");
