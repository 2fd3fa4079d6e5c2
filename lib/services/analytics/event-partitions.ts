import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";

const DAY_MS = 24 * 60 * 60_000;
const PREFIX = "analytics_events_p";
/** Where events of days without a partition of their own land. */
export const DEFAULT_EVENT_PARTITION = "analytics_events_default";

/**
 * Raw events live in a table partitioned by UTC day (`analytics_events_pYYYYMMDD`, plus a
 * default partition for days without one): retention drops whole days instead of deleting row
 * by row.
 */

export interface EventPartition {
  name: string;
  /** The day's start (UTC), or null for the default partition. */
  from: Date | null;
}

function dayName(day: Date): string {
  return `${PREFIX}${day.toISOString().slice(0, 10).replace(/-/g, "")}`;
}

function dayStart(time: Date): Date {
  return new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);
}

/** The partitions of the raw events table, days oldest first, then the default partition. */
export async function listEventPartitions(): Promise<EventPartition[]> {
  const db = await getDb();
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`
      select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'analytics_events' order by c.relname`),
  );
  const days: EventPartition[] = [];
  let hasDefault = false;
  for (const { name } of rows) {
    const match = /^analytics_events_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (match) days.push({ name, from: new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) });
    else if (name === DEFAULT_EVENT_PARTITION) hasDefault = true;
  }
  return hasDefault ? [...days, { name: DEFAULT_EVENT_PARTITION, from: null }] : days;
}

/**
 * Creates the partitions of the days from yesterday to `daysAhead` days from now that do not
 * exist yet. A day whose events already landed in the default partition keeps them there
 * (Postgres refuses a partition that rows of the default partition would belong to); retention
 * removes them row by row.
 */
export async function ensureEventPartitions(now = new Date(), daysAhead = 2): Promise<string[]> {
  const db = await getDb();
  const existing = new Set((await listEventPartitions()).map((p) => p.name));
  const created: string[] = [];
  for (let d = -1; d <= daysAhead; d++) {
    const from = new Date(dayStart(now).getTime() + d * DAY_MS);
    const to = new Date(from.getTime() + DAY_MS);
    const name = dayName(from);
    if (existing.has(name)) continue;
    const inDefault = rowsOf(
      await db.execute(
        sql`select 1 from ${sql.identifier(DEFAULT_EVENT_PARTITION)} where time >= ${from.toISOString()}::timestamptz and time < ${to.toISOString()}::timestamptz limit 1`,
      ),
    );
    if (inDefault.length > 0) continue;
    try {
      await db.execute(
        sql.raw(
          `create table if not exists "${name}" partition of analytics_events for values from ('${from.toISOString()}') to ('${to.toISOString()}')`,
        ),
      );
      created.push(name);
    } catch {
      // Another worker created it meanwhile, or an event of that day arrived in between: the default partition keeps them.
    }
  }
  return created;
}

/**
 * Drops the day partitions that end at or before `before`, unless one of their events belongs
 * to a batch of the event forms not yet rolled up (its events are still to be counted; the
 * next run drops the day). Returns the events dropped with them.
 */
export async function dropEventPartitionsBefore(before: Date): Promise<{ partitions: number; events: number }> {
  const db = await getDb();
  let partitions = 0;
  let events = 0;
  for (const p of await listEventPartitions()) {
    if (!p.from || p.from.getTime() + DAY_MS > before.getTime()) continue;
    const table = sql.identifier(p.name);
    const pending = rowsOf(
      await db.execute(sql`
        select 1 from ${table} e
        where e.batch_seq in (select seq from analytics_batches where rolled_up_at is null and not aggregated) limit 1`),
    );
    if (pending.length > 0) continue;
    const [row] = rowsOf<{ n: string | number }>(await db.execute(sql`select count(*) as n from ${table}`));
    await db.execute(sql`drop table if exists ${table}`);
    partitions++;
    events += Number(row?.n ?? 0);
  }
  return { partitions, events };
}
