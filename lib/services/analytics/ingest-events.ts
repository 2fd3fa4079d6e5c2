import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { analyticsBatchSchemaOf, expandAnalyticsBatch } from "@/lib/domain/gateway/snapshot";
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
  const batch = expandAnalyticsBatch(parseInput(analyticsBatchSchemaOf(input), input));
  const foreign = batch.events.find((e) => e.environment !== environment.name);
  if (foreign)
    throw new AppError(
      "forbidden",
      `Event ${foreign.id} names environment ${foreign.environment}, but the token is for ${environment.name}.`,
    );
  const ev = batch.events;
  const col = <T extends string | number | null | undefined>(pick: (e: (typeof ev)[number]) => T) => pgArray(ev.map(pick));
  const db = await getDb();
  const claimed = rowsOf<{ seq: string | number | null }>(
    await db.execute(sql`
      with claimed as (
        insert into analytics_batches (batch_id, environment_id, event_count)
        values (${batch.batchId}, ${environment.id}, ${ev.length})
        on conflict (batch_id) do nothing
        returning seq),
      stored as (
        insert into analytics_events (id, batch_id, batch_seq, time, environment, instance_id, region, api_id, operation, application_id,
          key_type, method, path, status, latency_ms, upstream_latency_ms, request_bytes, response_bytes, error_code)
        select u.id, ${batch.batchId}::uuid, c.seq, u.time, u.environment, u.instance_id, u.region, u.api_id, u.operation, u.application_id,
          u.key_type, u.method, u.path, u.status, u.latency_ms, u.upstream_latency_ms, u.request_bytes, u.response_bytes, u.error_code
        from claimed c cross join unnest(
          ${col((e) => e.id)}::uuid[], ${col((e) => e.time)}::timestamptz[], ${col((e) => e.environment)}::text[],
          ${col((e) => e.instanceId)}::text[], ${col((e) => e.region)}::text[], ${col((e) => e.apiId)}::text[],
          ${col((e) => e.operation)}::text[], ${col((e) => e.applicationId)}::text[], ${col((e) => e.keyType)}::text[],
          ${col((e) => e.method)}::text[], ${col((e) => e.path.slice(0, MAX_PATH))}::text[], ${col((e) => e.status)}::integer[],
          ${col((e) => e.latencyMs)}::real[], ${col((e) => e.upstreamLatencyMs)}::real[], ${col((e) => e.requestBytes)}::integer[],
          ${col((e) => e.responseBytes)}::integer[], ${col((e) => e.errorCode)}::text[]
        ) as u(id, time, environment, instance_id, region, api_id, operation, application_id, key_type, method, path, status,
          latency_ms, upstream_latency_ms, request_bytes, response_bytes, error_code))
      select (select seq from claimed) as seq`),
  );
  if (claimed[0]?.seq === null || claimed[0]?.seq === undefined) return { stored: 0, duplicate: true };
  return { stored: ev.length, duplicate: false };
}
