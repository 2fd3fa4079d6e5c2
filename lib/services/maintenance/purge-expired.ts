import { and, inArray, isNotNull, lt, notInArray } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { authAttempts, deployments, jobs } from "@/lib/db/schema";
import { ATTEMPT_WINDOW_MS } from "@/lib/services/users/authenticate";

/** Finished jobs are kept this long for their history, then removed. */
export const JOB_RETENTION_DAYS = Number(process.env.MERIDIAN_JOB_RETENTION_DAYS ?? 30);

/**
 * Sign-in attempts matter only inside their window; finished jobs only for a while (the job
 * each deployment last ran is kept, whatever its age). Older rows are removed.
 */
export async function purgeExpired(now = new Date()): Promise<{ authAttempts: number; jobs: number }> {
  const db = await getDb();
  const removed = await db
    .delete(authAttempts)
    .where(lt(authAttempts.at, new Date(now.getTime() - 2 * ATTEMPT_WINDOW_MS)))
    .returning({ id: authAttempts.id });
  const oldJobs = await db
    .delete(jobs)
    .where(
      and(
        inArray(jobs.status, ["succeeded", "failed", "cancelled"]),
        lt(jobs.finishedAt, new Date(now.getTime() - JOB_RETENTION_DAYS * 86_400_000)),
        notInArray(jobs.id, db.select({ id: deployments.jobId }).from(deployments).where(isNotNull(deployments.jobId))),
      ),
    )
    .returning({ id: jobs.id });
  return { authAttempts: removed.length, jobs: oldJobs.length };
}
