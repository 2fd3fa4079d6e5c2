import { EventEmitter } from "node:events";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { jobs, type JobRow, type JobStep } from "@/lib/db/schema";
import { rowsOf } from "@/lib/db/optional-tables";
import { newId } from "@/lib/id";

export interface EnqueueInput {
  kind: string;
  payload: Record<string, unknown>;
  /** Jobs with the same key run one at a time, in the order they were queued. */
  concurrencyKey?: string;
  maxAttempts?: number;
  runAt?: Date;
  createdBy?: string | null;
}

/** Settings read once: tests and operators shorten them through the environment. */
export const queueSettings = {
  pollMs: Number(process.env.MERIDIAN_JOB_POLL_MS ?? 500),
  leaseMs: Number(process.env.MERIDIAN_JOB_LEASE_MS ?? 30_000),
  backoffMs: Number(process.env.MERIDIAN_JOB_BACKOFF_MS ?? 2_000),
  maxBackoffMs: 60_000,
};

// A worker in the same process wakes at once instead of at its next poll.
export const queueEvents = new EventEmitter();

/** Queues a job in the caller's transaction: it exists exactly when the change that asked for it commits. */
export async function enqueueJob(tx: DbOrTx, input: EnqueueInput): Promise<JobRow> {
  const [row] = await tx
    .insert(jobs)
    .values({
      id: newId("job"),
      kind: input.kind,
      payload: input.payload,
      concurrencyKey: input.concurrencyKey ?? null,
      maxAttempts: input.maxAttempts ?? 5,
      runAt: input.runAt ?? new Date(),
      createdBy: input.createdBy ?? null,
    })
    .returning();
  setImmediate(() => queueEvents.emit("queued", row.kind));
  return row;
}

/**
 * Claims up to `limit` due jobs for `workerId`: queued jobs whose time has come and running jobs
 * whose lease ran out (their worker died). A job waits while another job with its concurrency
 * key holds a live lease, and behind older queued jobs with the same key.
 */
export async function claimJobs(db: DbOrTx, workerId: string, kinds: string[], limit = 1): Promise<JobRow[]> {
  if (kinds.length === 0) return [];
  const leaseUntil = new Date(Date.now() + queueSettings.leaseMs);
  const kindList = sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const result = await db.execute(sql`
    update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${leaseUntil.toISOString()}::timestamptz,
      attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now()
    where id in (
      select j.id from jobs j
      where j.kind in (${kindList})
        and ((j.status = 'queued' and j.run_at <= now()) or (j.status = 'running' and j.locked_until < now()))
        and (j.concurrency_key is null or not exists (
          select 1 from jobs o where o.concurrency_key = j.concurrency_key and o.id <> j.id
            and ((o.status = 'running' and o.locked_until >= now()) or (o.status = 'queued' and o.created_at < j.created_at))
        ))
      order by j.run_at, j.created_at
      limit ${limit}
      for update skip locked
    )
    returning id`);
  const ids = rowsOf<{ id: string }>(result);
  if (ids.length === 0) return [];
  return db
    .select()
    .from(jobs)
    .where(
      inArray(
        jobs.id,
        ids.map((r) => r.id),
      ),
    );
}

/** Keeps a running job's lease; false when the lease was lost (another worker took the job). */
export async function extendLease(db: DbOrTx, jobId: string, workerId: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ lockedUntil: new Date(Date.now() + queueSettings.leaseMs) })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function appendJobStep(db: DbOrTx, jobId: string, step: JobStep): Promise<void> {
  await db
    .update(jobs)
    .set({ steps: sql`${jobs.steps} || ${JSON.stringify([step])}::jsonb` })
    .where(eq(jobs.id, jobId));
}

/** Finishes a job this worker holds; false when the lease was lost meanwhile (nothing is written). */
export async function finishJob(
  db: DbOrTx,
  jobId: string,
  workerId: string,
  outcome: { status: "succeeded" | "failed"; result?: Record<string, unknown> | null; error?: string; errorCode?: string },
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      status: outcome.status,
      result: outcome.result ?? null,
      error: outcome.error ?? null,
      errorCode: outcome.errorCode ?? null,
      finishedAt: new Date(),
      lockedBy: null,
      lockedUntil: null,
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Puts a job back in the queue after a transient failure, to run again after `delayMs`. */
export async function retryJobLater(
  db: DbOrTx,
  jobId: string,
  workerId: string,
  delayMs: number,
  error: string,
  errorCode?: string,
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      status: "queued",
      runAt: new Date(Date.now() + delayMs),
      error,
      errorCode: errorCode ?? null,
      lockedBy: null,
      lockedUntil: null,
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Exponential back-off with jitter: 1×, 2×, 4×… the base, capped. */
export function backoffDelay(attempt: number, baseMs = queueSettings.backoffMs): number {
  const exp = Math.min(queueSettings.maxBackoffMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}
