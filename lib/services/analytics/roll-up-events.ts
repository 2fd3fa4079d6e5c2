import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { pgArray } from "./pg-array";
import { rollUpBatches } from "./rollup-sql";

/** Held for the length of one roll-up transaction, so that two workers never roll up together. */
const ROLLUP_LOCK = 727_301;
// Bounded so that ingest, which waits for the roll-up's row locks and (embedded) for its turn, is never held long.
const BATCHES_PER_TRANSACTION = 100;

export interface RollUpResult {
  batches: number;
  events: number;
}

/**
 * Adds newly stored batches to the roll-ups (minute, hour, day and week; full and by environment), exactly once:
 * the raw events of batches in the event forms, the staged aggregates of batches in the
 * aggregate form (whose raw events are only a sample, never counted).
 *
 * Roll-ups follow ingest batches, not event time: a batch is "pending" until the transaction
 * that adds its events to every roll-up table also stamps it rolled up. Events that arrive late
 * (a gateway that was offline for an hour) simply land in the past minutes they belong to, and
 * no lateness allowance is needed. The stamp and the sums commit together, so a worker that
 * stops at any point leaves every batch either fully counted or still pending: a restart
 * neither skips nor double-counts. Dashboards add the pending batches' raw events to the
 * roll-ups in the same statement, so the newest traffic shows before its roll-up.
 */
export async function rollUpEvents(options: { maxTransactions?: number } = {}): Promise<RollUpResult> {
  const db = await getDb();
  const total: RollUpResult = { batches: 0, events: 0 };
  for (let i = 0; i < (options.maxTransactions ?? 50); i++) {
    const done = await db.transaction(async (tx) => {
      const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${ROLLUP_LOCK}) as ok`));
      if (!lock?.ok) return null;
      const pending = rowsOf<{ seq: string | number; event_count: number; aggregated: boolean }>(
        await tx.execute(sql`
          select seq, event_count, aggregated from analytics_batches
          where rolled_up_at is null order by seq limit ${BATCHES_PER_TRANSACTION}`),
      );
      if (pending.length === 0) return null;
      const seqs = pgArray(pending.map((p) => Number(p.seq)));
      const eventSeqs = pgArray(pending.filter((p) => !p.aggregated).map((p) => Number(p.seq)));
      const aggregateSeqs = pgArray(pending.filter((p) => p.aggregated).map((p) => Number(p.seq)));
      // Grouping a hundred thousand events needs more than the default 4 MB to stay in memory.
      await tx.execute(sql`set local work_mem = '64MB'`);
      await tx.execute(rollUpBatches(eventSeqs, aggregateSeqs));
      await tx.execute(sql`update analytics_batches set rolled_up_at = now() where seq = any(${seqs}::bigint[])`);
      await tx.execute(sql`delete from analytics_aggregate_staging where batch_seq = any(${aggregateSeqs}::bigint[])`);
      return { batches: pending.length, events: pending.reduce((n, p) => n + Number(p.event_count), 0) };
    });
    if (!done) break;
    total.batches += done.batches;
    total.events += done.events;
    if (done.batches < BATCHES_PER_TRANSACTION) break;
  }
  return total;
}
