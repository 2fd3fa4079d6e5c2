import { and, eq, gt, inArray, max } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments, jobs } from "@/lib/db/schema";
import { discoveryRefusal, queueDiscovery, DISCOVER_JOB } from "./discover-environment";

/** Queues discovery for every environment whose interval has passed since its last discovery. */
export async function scheduleDiscovery(now = new Date()): Promise<number> {
  const db = await getDb();
  const envs = await db.select().from(environments).where(gt(environments.discoveryIntervalMinutes, 0));
  if (envs.length === 0) return 0;
  const last = await db
    .select({ key: jobs.concurrencyKey, at: max(jobs.createdAt) })
    .from(jobs)
    .where(
      and(
        eq(jobs.kind, DISCOVER_JOB),
        inArray(
          jobs.concurrencyKey,
          envs.map((e) => `discover:${e.id}`),
        ),
      ),
    )
    .groupBy(jobs.concurrencyKey);
  let queued = 0;
  for (const env of envs) {
    if (discoveryRefusal(env)) continue;
    const at = last.find((l) => l.key === `discover:${env.id}`)?.at;
    if (at && now.getTime() - new Date(at).getTime() < env.discoveryIntervalMinutes * 60_000) continue;
    await queueDiscovery(db, env, null);
    queued++;
  }
  return queued;
}
