import { and, eq, gt, inArray, max } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments, jobs } from "@/lib/db/schema";
import { canCheckDrift } from "./check-drift";
import { DRIFT_JOB, queueDriftCheck } from "./run-drift-job";

/** Queues a drift check for every push environment whose discovery interval has passed since its last check. */
export async function scheduleDriftChecks(now = new Date()): Promise<number> {
  const db = await getDb();
  const envs = (await db.select().from(environments).where(gt(environments.discoveryIntervalMinutes, 0))).filter((e) =>
    canCheckDrift(e.type),
  );
  if (envs.length === 0) return 0;
  const last = await db
    .select({ key: jobs.concurrencyKey, at: max(jobs.createdAt) })
    .from(jobs)
    .where(
      and(
        eq(jobs.kind, DRIFT_JOB),
        inArray(
          jobs.concurrencyKey,
          envs.map((e) => `drift:${e.id}`),
        ),
      ),
    )
    .groupBy(jobs.concurrencyKey);
  let queued = 0;
  for (const env of envs) {
    const at = last.find((l) => l.key === `drift:${env.id}`)?.at;
    if (at && now.getTime() - new Date(at).getTime() < env.discoveryIntervalMinutes * 60_000) continue;
    await queueDriftCheck(db, env, null);
    queued++;
  }
  return queued;
}
