import { and, eq, inArray } from "drizzle-orm";
import { getDescriptor } from "@/lib/connectors/registry";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { jobs, type Environment, type JobRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { enqueueJob } from "@/lib/jobs/queue";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";

export const DISCOVER_JOB = "environment.discover";

/** Why an environment cannot be discovered, or null. */
export function discoveryRefusal(env: Environment): string | null {
  const descriptor = getDescriptor(env.type);
  if (!descriptor.capabilities.discover) return `${descriptor.label} environments cannot be discovered.`;
  if (env.mode === "write-only")
    return `${env.displayName} is write-only: switch it to read-only or read-write to discover what runs there.`;
  return null;
}

/** Queues a discovery of the environment, or returns the one already waiting or running. */
export async function queueDiscovery(tx: DbOrTx, env: Environment, createdBy: string | null): Promise<JobRow> {
  const key = `discover:${env.id}`;
  const [active] = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.concurrencyKey, key), inArray(jobs.status, ["queued", "running"])))
    .limit(1);
  if (active) return active;
  return enqueueJob(tx, { kind: DISCOVER_JOB, payload: { environmentId: env.id }, concurrencyKey: key, createdBy, maxAttempts: 4 });
}

/** Starts discovery on demand: answers the job whose progress the caller follows. */
export async function discoverEnvironment(name: string, ctx: ServiceContext): Promise<JobRow> {
  const actor = assertCan(ctx, "environments:write");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const env = await getEnvironmentRowOrThrow(name, tx);
    const refusal = discoveryRefusal(env);
    if (refusal) throw new AppError("conflict", refusal);
    const job = await queueDiscovery(tx, env, actor.id);
    await writeAudit(tx, ctx, { action: "environment.discover", objectType: "environment", objectId: env.id, details: { jobId: job.id } });
    return job;
  });
}
