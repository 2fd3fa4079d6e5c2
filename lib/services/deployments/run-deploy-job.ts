import { eq } from "drizzle-orm";
import { getConnector } from "@/lib/connectors/registry";
import { ConnectorError, type DeploymentRef } from "@/lib/connectors/types";
import { getDb } from "@/lib/db/client";
import { deployments, environments } from "@/lib/db/schema";
import type { JobHandler } from "@/lib/jobs/runner";
import { buildDeploymentInput, loadRevision } from "./deployment-input";
import { appendDeploymentStep } from "./deployment-steps";
import { requestKeySync } from "./request-key-sync";
import { recordApplied } from "@/lib/services/drift/record-applied";

/**
 * The read-back is part of the attempt: a transient failure (throttling, 5xx, a dropped
 * connection) fails it and the engine retries, as for any other call. A refusal that retrying
 * cannot fix (say a role allowed to deploy but not to export) does not fail a deploy that
 * succeeded: the first drift check records the baseline instead.
 */
async function readBaseline<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ConnectorError && !error.retryable) return null;
    throw error;
  }
}

interface DeployPayload {
  deploymentId: string;
  revisionId: string;
}

/** A reference this connector wrote earlier: what a redeploy replaces. */
export function previousRefOf(reference: Record<string, unknown> | null, type: string): DeploymentRef | undefined {
  return reference && reference.type === type && typeof reference.contentHash === "string"
    ? (reference as unknown as DeploymentRef)
    : undefined;
}

/** Runs one deployment through its environment's connector; the engine retries transient failures. */
export const deployJobHandler: JobHandler = {
  async run(ctx) {
    const { deploymentId, revisionId } = ctx.job.payload as unknown as DeployPayload;
    const db = await getDb();
    const [row] = await db
      .select({ d: deployments, env: environments })
      .from(deployments)
      .innerJoin(environments, eq(environments.id, deployments.environmentId))
      .where(eq(deployments.id, deploymentId))
      .limit(1);
    // A later deploy of another revision, or an undeploy, superseded this job: it has nothing to do.
    if (!row || row.d.revisionId !== revisionId || row.d.status === "undeploying" || row.d.status === "undeployed")
      return { skipped: "superseded" };
    const { env } = row;
    const revision = await loadRevision(db, revisionId);
    await appendDeploymentStep(db, deploymentId, `Attempt ${ctx.job.attempts} started`, `revision ${revision.number} to ${env.name}`, {
      status: "deploying",
      jobId: ctx.job.id,
    });
    const input = await buildDeploymentInput(db, env, revision, `${deploymentId}:${ctx.job.id}`);
    input.signal = ctx.signal;
    input.onStep = async (step, detail) => {
      await appendDeploymentStep(db, deploymentId, step, detail);
    };
    const connector = getConnector(env.type);
    const ref = await connector.deploy(input, previousRefOf(row.d.reference, env.type));
    const reference = { ...ref, revisionNumber: revision.number } as unknown as Record<string, unknown>;
    // What the gateway holds right after the deploy: the baseline drift checks compare with.
    const live = connector.readLive ? await readBaseline(() => connector.readLive!(input.config, ref, { signal: ctx.signal })) : null;
    await ctx.complete(
      async (tx) => {
        const [current] = await tx
          .select({ revisionId: deployments.revisionId })
          .from(deployments)
          .where(eq(deployments.id, deploymentId))
          .for("update");
        // Asked for another revision meanwhile: that deploy's job records its own outcome.
        if (current?.revisionId !== revisionId) return;
        const detail = ref.invokeUrl ? `revision ${revision.number} serves at ${ref.invokeUrl}` : `revision ${revision.number}`;
        await appendDeploymentStep(tx, deploymentId, "Deployed", detail, {
          status: "deployed",
          reference,
          deployedRevisionId: revisionId,
          error: null,
        });
        if (live) await recordApplied(tx, { deploymentId, environmentId: env.id, revisionId, live });
        // Keys, and for gateways holding the key manager's public key per application, OAuth2 credentials.
        const scheme = revision.settings.security.scheme;
        const jwt = connector.descriptor.capabilities.jwtCredentials && scheme === "oauth2";
        if ((connector.provisionKey && (scheme === "apiKey" || jwt)) || (connector.syncClients && scheme === "oauth2"))
          await requestKeySync(tx, { apiIds: [row.d.apiId] });
      },
      { reference },
    );
  },

  async onRetry(job, failure) {
    const { deploymentId } = job.payload as unknown as DeployPayload;
    const db = await getDb();
    await db.update(deployments).set({ error: failure.message }).where(eq(deployments.id, deploymentId));
  },

  async onFailed(job, failure) {
    const { deploymentId, revisionId } = job.payload as unknown as DeployPayload;
    const db = await getDb();
    const [current] = await db
      .select({ revisionId: deployments.revisionId })
      .from(deployments)
      .where(eq(deployments.id, deploymentId))
      .limit(1);
    if (current?.revisionId !== revisionId) return;
    // Whatever served before keeps serving: the reference and deployed revision still name it.
    await appendDeploymentStep(db, deploymentId, "Failed", failure.message, { status: "failed", error: failure.message });
  },
};
