import { and, eq } from "drizzle-orm";
import { getDb, type Tx } from "@/lib/db/client";
import { deployments, environments, jobs, type DeploymentRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { enqueueJob } from "@/lib/jobs/queue";
import { loadApiForActor } from "@/lib/services/apis/access";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { isPullType } from "./deployment-input";
import { appendDeploymentStep } from "./deployment-steps";

export const UNDEPLOY_JOB = "deployment.undeploy";

export interface UndeployOptions {
  /** On push gateways, also delete the remote API (AWS: the REST API), not only what serves it. */
  deleteApi?: boolean;
}

/**
 * Removes an API from an environment. Pull gateways drop it with their next snapshot; push
 * gateways get an undeploy job (the deployment shows `undeploying` until it reports). Deploys
 * still waiting in the queue are cancelled. Undeploying what is not deployed is not an error.
 */
export async function undeployApi(
  apiId: string,
  environmentName: string,
  ctx: ServiceContext,
  options: UndeployOptions = {},
): Promise<DeploymentRow | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { api } = await loadApiForActor(tx, apiId, ctx, { write: true });
    const [env] = await tx.select().from(environments).where(eq(environments.name, environmentName)).limit(1);
    if (!env) throw new AppError("not_found", `No such environment: ${environmentName}.`);
    return undeployIn(tx, api.id, env, ctx, options);
  });
}

export async function undeployIn(
  tx: Tx,
  apiId: string,
  env: typeof environments.$inferSelect,
  ctx: ServiceContext,
  options: UndeployOptions = {},
): Promise<DeploymentRow | null> {
  const [row] = await tx
    .select()
    .from(deployments)
    .where(and(eq(deployments.apiId, apiId), eq(deployments.environmentId, env.id)))
    .for("update")
    .limit(1);
  if (!row || row.status === "undeployed" || row.status === "undeploying") return row ?? null;
  await tx
    .update(jobs)
    .set({ status: "cancelled", finishedAt: new Date(), error: "Cancelled by an undeploy." })
    .where(and(eq(jobs.concurrencyKey, `deployment:${row.id}`), eq(jobs.status, "queued")));
  let out: DeploymentRow | null;
  if (isPullType(env.type)) {
    await tx.delete(deployments).where(eq(deployments.id, row.id));
    await bumpSnapshotVersions(tx, [env.id]);
    out = null;
  } else if (!row.reference) {
    // Nothing was created remotely yet: there is nothing to remove.
    await appendDeploymentStep(tx, row.id, "Undeployed", "nothing had been created remotely", {
      status: "undeployed",
      deployedRevisionId: null,
    });
    out = { ...row, status: "undeployed" };
  } else {
    const job = await enqueueJob(tx, {
      kind: UNDEPLOY_JOB,
      payload: { deploymentId: row.id, deleteApi: !!options.deleteApi },
      concurrencyKey: `deployment:${row.id}`,
      createdBy: ctx.actor?.id,
    });
    await appendDeploymentStep(tx, row.id, "Undeploy queued", options.deleteApi ? "the remote API will be deleted too" : undefined, {
      status: "undeploying",
      jobId: job.id,
      error: null,
    });
    out = { ...row, status: "undeploying", jobId: job.id };
  }
  await writeAudit(tx, ctx, {
    action: "api.undeploy",
    objectType: "api",
    objectId: apiId,
    details: { environment: env.name, deleteApi: !!options.deleteApi },
  });
  return out;
}
