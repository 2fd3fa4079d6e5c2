import { getDb } from "@/lib/db/client";
import type { JobRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { canCheckDrift } from "./check-drift";
import { queueDriftCheck } from "./run-drift-job";

/** Checks every deployment of an environment for drift now (admin): answers the job to follow. */
export async function checkEnvironmentDrift(name: string, ctx: ServiceContext): Promise<JobRow> {
  const actor = assertCan(ctx, "environments:write");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const env = await getEnvironmentRowOrThrow(name, tx);
    if (!canCheckDrift(env.type)) throw new AppError("conflict", `${env.displayName} gateways are not checked for drift.`);
    const job = await queueDriftCheck(tx, env, actor.id);
    await writeAudit(tx, ctx, {
      action: "environment.drift-check",
      objectType: "environment",
      objectId: env.id,
      details: { jobId: job.id },
    });
    return job;
  });
}
