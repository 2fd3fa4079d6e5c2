import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/lib/db/client";
import { jobs, type JobRow } from "@/lib/db/schema";
import { ConnectorError } from "@/lib/connectors/types";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { appendJobStep, backoffDelay, extendLease, finishJob, queueSettings, retryJobLater } from "./queue";

export interface JobContext {
  job: JobRow;
  workerId: string;
  /** Aborted when the worker stops or loses the lease: pass it to every remote call. */
  signal: AbortSignal;
  step(step: string, detail?: string): Promise<void>;
  /**
   * Writes the job's outcome and marks it succeeded in one transaction, only while this worker
   * still holds the job: a worker that lost its lease (and was replaced) writes nothing.
   */
  complete<T>(write: (tx: Tx) => Promise<T>, result?: Record<string, unknown>): Promise<T>;
}

export class LeaseLostError extends Error {
  constructor() {
    super("Another worker took over this job.");
  }
}

export interface JobFailure {
  message: string;
  code: string;
}

export interface JobHandler {
  run(ctx: JobContext): Promise<Record<string, unknown> | void>;
  /** A transient failure: the job runs again after `delayMs`. */
  onRetry?(job: JobRow, failure: JobFailure, delayMs: number): Promise<void>;
  /** The job failed for good (not transient, or out of attempts). */
  onFailed?(job: JobRow, failure: JobFailure): Promise<void>;
}

/** A failure worth another attempt: connector throttling, 5xx, timeouts, dropped connections. */
export function isTransient(error: unknown): boolean {
  if (error instanceof ConnectorError) return error.retryable;
  if (isAppError(error)) return error.code === "upstream_unavailable" || error.code === "upstream_timeout";
  const code = (error as { code?: string } | null)?.code;
  return code === "ECONNRESET" || code === "ECONNREFUSED" || code === "ETIMEDOUT" || code === "UND_ERR_SOCKET";
}

export function describeFailure(error: unknown): JobFailure {
  if (error instanceof ConnectorError) return { message: error.message, code: error.code };
  if (isAppError(error)) return { message: error.message, code: error.code };
  return { message: "An unexpected error stopped the job; the worker log has the details.", code: "internal_error" };
}

/** Runs one claimed job to its end: success, a later retry, or failure. Keeps the lease alive meanwhile. */
export async function runClaimedJob(db: Db, job: JobRow, handler: JobHandler, workerId: string, stopSignal: AbortSignal): Promise<void> {
  const controller = new AbortController();
  // A stopping worker stops renewing the lease too, so that another worker can resume the job.
  const onStop = () => {
    clearInterval(lease);
    controller.abort(new Error("worker stopping"));
  };
  stopSignal.addEventListener("abort", onStop);
  const lease: NodeJS.Timeout = setInterval(
    () => {
      extendLease(db, job.id, workerId)
        .then((held) => {
          if (!held) controller.abort(new Error("lease lost"));
        })
        .catch((err) => logger.warn({ err, job: job.id }, "could not extend a job lease"));
    },
    Math.max(200, Math.floor(queueSettings.leaseMs / 3)),
  );
  const ctx: JobContext = {
    job,
    workerId,
    signal: controller.signal,
    step: (step, detail) => appendJobStep(db, job.id, { at: new Date().toISOString(), step, ...(detail ? { detail } : {}) }),
    complete: (write, result) =>
      db.transaction(async (tx) => {
        const [held] = await tx
          .select({ id: jobs.id })
          .from(jobs)
          .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")))
          .for("update");
        if (!held) throw new LeaseLostError();
        const out = await write(tx);
        await tx
          .update(jobs)
          .set({
            status: "succeeded",
            result: result ?? null,
            error: null,
            errorCode: null,
            finishedAt: new Date(),
            lockedBy: null,
            lockedUntil: null,
          })
          .where(eq(jobs.id, job.id));
        return out;
      }),
  };
  try {
    const result = await handler.run(ctx);
    // Handlers that completed through ctx.complete are finished already; this is then a no-op.
    await finishJob(db, job.id, workerId, { status: "succeeded", result: result ?? null });
  } catch (error) {
    // A worker told to stop, or replaced, leaves the job to whoever holds it now.
    if (stopSignal.aborted || error instanceof LeaseLostError) return;
    const failure = describeFailure(error);
    if (failure.code === "internal_error") logger.error({ err: error, job: job.id, kind: job.kind }, "job failed");
    if (isTransient(error) && job.attempts < job.maxAttempts) {
      const delayMs = backoffDelay(job.attempts);
      await ctx.step(
        `Attempt ${job.attempts} of ${job.maxAttempts} failed`,
        `${failure.message} Retrying in ${Math.max(1, Math.round(delayMs / 1000))} s.`,
      );
      if (await retryJobLater(db, job.id, workerId, delayMs, failure.message, failure.code)) await handler.onRetry?.(job, failure, delayMs);
      return;
    }
    if (await finishJob(db, job.id, workerId, { status: "failed", error: failure.message, errorCode: failure.code }))
      await handler.onFailed?.(job, failure);
  } finally {
    clearInterval(lease);
    stopSignal.removeEventListener("abort", onStop);
  }
}
