import { eq } from "drizzle-orm";
import { getConnector } from "@/lib/connectors/registry";
import { getDescriptor } from "@/lib/connectors/registry";
import { getDb } from "@/lib/db/client";
import { deployments, environments, remoteKeys } from "@/lib/db/schema";
import type { JobHandler } from "@/lib/jobs/runner";
import { decryptConfig } from "@/lib/services/environments/config-secrets";
import { appendDeploymentStep } from "./deployment-steps";
import { previousRefOf } from "./run-deploy-job";

interface UndeployPayload {
  deploymentId: string;
  deleteApi?: boolean;
}

/** Removes what a deployment created on a push gateway; a remote "not found" is success. */
export const undeployJobHandler: JobHandler = {
  async run(ctx) {
    const { deploymentId, deleteApi } = ctx.job.payload as unknown as UndeployPayload;
    const db = await getDb();
    const [row] = await db
      .select({ d: deployments, env: environments })
      .from(deployments)
      .innerJoin(environments, eq(environments.id, deployments.environmentId))
      .where(eq(deployments.id, deploymentId))
      .limit(1);
    if (!row || row.d.status !== "undeploying") return { skipped: "superseded" };
    const { env } = row;
    await appendDeploymentStep(db, deploymentId, `Attempt ${ctx.job.attempts} started`, `removing from ${env.name}`, { jobId: ctx.job.id });
    const ref = previousRefOf(row.d.reference, env.type);
    if (ref) {
      const config = decryptConfig(getDescriptor(env.type), env.config);
      await getConnector(env.type).undeploy(config, ref, {
        deleteApi: !!deleteApi,
        signal: ctx.signal,
        onStep: async (step, detail) => {
          await appendDeploymentStep(db, deploymentId, step, detail);
        },
      });
    }
    await ctx.complete(async (tx) => {
      await appendDeploymentStep(
        tx,
        deploymentId,
        "Undeployed",
        deleteApi ? `removed from ${env.name}, API deleted there` : `removed from ${env.name}`,
        {
          status: "undeployed",
          // A remote API kept in place is reused (overwritten) by the next deploy instead of duplicated.
          reference: deleteApi ? null : row.d.reference,
          deployedRevisionId: null,
          error: null,
        },
      );
      // Keys installed for this deployment went with it.
      await tx.delete(remoteKeys).where(eq(remoteKeys.deploymentId, deploymentId));
    });
  },

  async onRetry(job, failure) {
    const db = await getDb();
    await db
      .update(deployments)
      .set({ error: failure.message })
      .where(eq(deployments.id, (job.payload as unknown as UndeployPayload).deploymentId));
  },

  async onFailed(job, failure) {
    const db = await getDb();
    await appendDeploymentStep(db, (job.payload as unknown as UndeployPayload).deploymentId, "Undeploy failed", failure.message, {
      status: "failed",
      error: failure.message,
    });
  },
};
