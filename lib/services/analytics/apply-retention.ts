import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { pruneVendorMinutes } from "./ingest-vendor-minutes";
import { dropEventPartitionsBefore, ensureEventPartitions, listEventPartitions } from "./event-partitions";
import { ROLLUP_FAMILIES, type Resolution } from "./rollup-sql";
import { analyticsSettings } from "./settings";

const DAY_MS = 24 * 60 * 60_000;
const DELETE_CHUNK = 50_000;

export interface RetentionResult {
  events: number;
  /** Day partitions of raw events dropped whole. */
  eventPartitions: number;
  batches: number;
  minuteRollups: number;
  hourRollups: number;
  dayRollups: number;
  weekRollups: number;
}

/**
 * Removes what is older than its retention: raw events (by event time; whole day partitions
 * dropped where possible, and the coming days' partitions created), remembered batch ids,
 * minute, hour, day and week roll-ups (by bucket). Raw events of a batch not yet rolled up are kept
 * whatever their age, so retention can never take traffic out of the roll-ups. Raw events go
 * in bounded chunks so that one run never holds a huge transaction.
 */
export async function applyAnalyticsRetention(now = new Date()): Promise<RetentionResult> {
  const db = await getDb();
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const count = (result: unknown) => Number(rowsOf<{ n: string | number }>(result)[0]?.n ?? 0);

  // Whole days first: a day partition past retention is dropped (unless it still holds events
  // of a batch not yet rolled up); what is left past retention (the default partition, a day
  // kept back) goes row by row, in bounded chunks, one partition at a time (a ctid is unique
  // only within one partition).
  const cutoff = before(analyticsSettings.rawRetentionDays);
  const dropped = await dropEventPartitionsBefore(new Date(cutoff));
  let events = dropped.events;
  for (const partition of await listEventPartitions()) {
    if (partition.from && partition.from.toISOString() >= cutoff) continue;
    const table = sql.identifier(partition.name);
    for (;;) {
      const removed = count(
        await db.execute(sql`
          with gone as (
            delete from ${table} where ctid = any(array(
              select e.ctid from ${table} e
              where e.time < ${cutoff}::timestamptz
                and not exists (
                  select 1 from analytics_batches b where b.seq = e.batch_seq and b.rolled_up_at is null and not b.aggregated)
              limit ${DELETE_CHUNK}))
            returning 1)
          select count(*) as n from gone`),
      );
      events += removed;
      if (removed < DELETE_CHUNK) break;
    }
  }
  await ensureEventPartitions(now);
  await pruneVendorMinutes(new Date(before(analyticsSettings.minuteRollupRetentionDays)));
  const deleteOlder = async (table: string, column: string, days: number, extra = "") =>
    count(
      await db.execute(sql`
        with gone as (delete from ${sql.raw(table)} where ${sql.raw(column)} < ${before(days)}::timestamptz ${sql.raw(extra)} returning 1)
        select count(*) as n from gone`),
    );
  // Environment roll-ups follow the full ones of their resolution. A week goes once all its
  // days have: a range that starts inside retention never meets a week cut short.
  const rollups = async (unit: Resolution, days: number) => {
    let removed = 0;
    for (const family of ROLLUP_FAMILIES) {
      const table = family.tables[unit];
      if (table) removed += await deleteOlder(table, "bucket", unit === "week" ? days + 7 : days);
    }
    return removed;
  };
  return {
    events,
    eventPartitions: dropped.partitions,
    batches: await deleteOlder("analytics_batches", "received_at", analyticsSettings.batchRetentionDays, "and rolled_up_at is not null"),
    minuteRollups: await rollups("minute", analyticsSettings.minuteRollupRetentionDays),
    hourRollups: await rollups("hour", analyticsSettings.rollupRetentionDays),
    dayRollups: await rollups("day", analyticsSettings.rollupRetentionDays),
    weekRollups: await rollups("week", analyticsSettings.rollupRetentionDays),
  };
}
