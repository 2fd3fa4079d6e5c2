import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { analyticsSettings } from "./settings";

const DAY_MS = 24 * 60 * 60_000;
const DELETE_CHUNK = 50_000;

export interface RetentionResult {
  events: number;
  batches: number;
  minuteRollups: number;
  hourRollups: number;
  dayRollups: number;
}

/**
 * Removes what is older than its retention: raw events (by event time), remembered batch ids,
 * minute, hour and day roll-ups (by bucket). Raw events of a batch not yet rolled up are kept
 * whatever their age, so retention can never take traffic out of the roll-ups. Raw events go
 * in bounded chunks so that one run never holds a huge transaction.
 */
export async function applyAnalyticsRetention(now = new Date()): Promise<RetentionResult> {
  const db = await getDb();
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const count = (result: unknown) => Number(rowsOf<{ n: string | number }>(result)[0]?.n ?? 0);

  let events = 0;
  for (;;) {
    const removed = count(
      await db.execute(sql`
        with gone as (
          delete from analytics_events where ctid = any(array(
            select e.ctid from analytics_events e
            where e.time < ${before(analyticsSettings.rawRetentionDays)}::timestamptz
              and not exists (select 1 from analytics_batches b where b.seq = e.batch_seq and b.rolled_up_at is null)
            limit ${DELETE_CHUNK}))
          returning 1)
        select count(*) as n from gone`),
    );
    events += removed;
    if (removed < DELETE_CHUNK) break;
  }
  const deleteOlder = async (table: string, column: string, days: number, extra = "") =>
    count(
      await db.execute(sql`
        with gone as (delete from ${sql.raw(table)} where ${sql.raw(column)} < ${before(days)}::timestamptz ${sql.raw(extra)} returning 1)
        select count(*) as n from gone`),
    );
  return {
    events,
    batches: await deleteOlder("analytics_batches", "received_at", analyticsSettings.batchRetentionDays, "and rolled_up_at is not null"),
    minuteRollups: await deleteOlder("analytics_rollups_minute", "bucket", analyticsSettings.minuteRollupRetentionDays),
    hourRollups: await deleteOlder("analytics_rollups_hour", "bucket", analyticsSettings.rollupRetentionDays),
    dayRollups: await deleteOlder("analytics_rollups_day", "bucket", analyticsSettings.rollupRetentionDays),
  };
}
