import { and, eq, inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { deployments, environments, jobs, type Environment, type JobRow } from "@/lib/db/schema";
import { enqueueJob } from "@/lib/jobs/queue";
import type { JobHandler } from "@/lib/jobs/runner";
import { canCheckDrift, checkDeploymentDrift, DRIFT_STATUSES } from "./check-drift";

export const DRIFT_JOB = "environment.drift";

/** Queues a drift check of every deployment of the environment, or returns the one already waiting or running. */
export async function queueDriftCheck(tx: DbOrTx, env: Environment, createdBy: string | null): Promise<JobRow> {
  const key = `drift:${env.id}`;
  const [active] = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.concurrencyKey, key), inArray(jobs.status, ["queued", "running"])))
    .limit(1);
  if (active) return active;
  return enqueueJob(tx, { kind: DRIFT_JOB, payload: { environmentId: env.id }, concurrencyKey: key, createdBy, maxAttempts: 3 });
}

/** Checks each deployment of one environment; one that cannot be read is counted, the others still checked. */
export const driftJobHandler: JobHandler = {
  async run(ctx) {
    const { environmentId } = ctx.job.payload as { environmentId: string };
    const db = await getDb();
    const [env] = await db.select().from(environments).where(eq(environments.id, environmentId)).limit(1);
    if (!env || !canCheckDrift(env.type)) return { skipped: "no drift detection for this environment" };
    const rows = await db
      .select({ id: deployments.id })
      .from(deployments)
      .where(and(eq(deployments.environmentId, env.id), inArray(deployments.status, [...DRIFT_STATUSES])))
      .limit(5000);
    await ctx.step("Checking drift", `${rows.length} deployment(s) on ${env.displayName}`);
    const counts = { in_sync: 0, drifted: 0, missing: 0, unreadable: 0 };
    for (const r of rows) {
      try {
        const drift = await checkDeploymentDrift(r.id, { signal: ctx.signal });
        if (drift && drift.state !== "unknown") counts[drift.state]++;
      } catch {
        counts.unreadable++;
      }
    }
    await ctx.complete(async () => {}, counts);
    return counts;
  },
};
