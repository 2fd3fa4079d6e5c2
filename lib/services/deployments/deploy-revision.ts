import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDescriptor } from "@/lib/connectors/registry";
import { getDb, type Tx } from "@/lib/db/client";
import { apiRevisions, deployments, environments, type ApiRevisionRow, type DeploymentRow, type Environment } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { enqueueJob } from "@/lib/jobs/queue";
import { loadApiForActor, type ApiMetaRow } from "@/lib/services/apis/access";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";
import { endpointFor, isPullType } from "./deployment-input";
import { planFor } from "./plan-deployment";

export { PULL_TYPES } from "./deployment-input";

export const deployInputSchema = z.object({
  revisionId: z.string().min(1).max(64),
  environments: z.array(z.string().min(1).max(63)).min(1, "Choose at least one environment.").max(50),
});

export const DEPLOY_JOB = "deployment.deploy";

/** Why an environment refuses this API at all, before any plan: mode, capability, origin, endpoint. */
export function deployRefusal(api: Pick<ApiMetaRow, "origin">, env: Environment, revision: ApiRevisionRow): string | null {
  const descriptor = getDescriptor(env.type);
  if (env.mode === "read-only") return `${env.displayName} is read-only: Meridian does not deploy there.`;
  if (!descriptor.capabilities.deploy) return `${descriptor.label} environments do not take deployments.`;
  if (api.origin === `discovered:${env.name}` && env.mode !== "read-write")
    return `This API was discovered on ${env.displayName}: it cannot be deployed back over its source.`;
  if (!endpointFor(revision, env.name))
    return `Revision ${revision.number} has no production endpoint for ${env.name}: set one and create a new revision.`;
  return null;
}

export async function loadDeployTargets(tx: Tx, apiId: string, input: z.output<typeof deployInputSchema>, ctx: ServiceContext) {
  const { api } = await loadApiForActor(tx, apiId, ctx, { write: true });
  if (api.lifecycleState === "RETIRED") throw new AppError("conflict", "A retired API cannot be deployed.");
  const [revision] = await tx
    .select()
    .from(apiRevisions)
    .where(and(eq(apiRevisions.id, input.revisionId), eq(apiRevisions.apiId, api.id)))
    .limit(1);
  if (!revision)
    throw new AppError("not_found", "No such revision of this API.", { fieldErrors: { revisionId: "No such revision of this API." } });
  const names = [...new Set(input.environments)];
  const envs = await tx.select().from(environments).where(inArray(environments.name, names));
  const missing = names.filter((n) => !envs.some((e) => e.name === n));
  if (missing.length)
    throw new AppError("validation_failed", `No such environment: ${missing.join(", ")}.`, {
      fieldErrors: { environments: `No such environment: ${missing.join(", ")}.` },
    });
  return { api, revision, envs: names.map((n) => envs.find((e) => e.name === n)!) };
}

/**
 * Deploys a revision to environments, one deployment per environment. Pull gateways get it in
 * the same transaction (their snapshot version is bumped; long-polling gateways serve it within
 * a second). Push gateways get a job each, run by the worker through the environment's
 * connector; the deployment shows `pending` until the job reports. Redeploying replaces the
 * revision that runs there; one environment failing leaves the others alone.
 */
export async function deployRevision(apiId: string, input: unknown, ctx: ServiceContext): Promise<DeploymentRow[]> {
  const values = parseInput(deployInputSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { api, revision, envs } = await loadDeployTargets(tx, apiId, values, ctx);
    for (const env of envs) {
      const refusal = deployRefusal(api, env, revision);
      if (refusal) throw new AppError("conflict", refusal, { fieldErrors: { environments: refusal } });
      // A feature the environment cannot enforce is refused now, never dropped on the way (agents' gateways included).
      if (!isPullType(env.type) || env.type === "agent") {
        const plan = await planFor(tx, api, env, revision);
        if (plan.refusals.length) {
          const reasons = plan.refusals.map((r) => r.reason).join(" ");
          throw new AppError("conflict", `${env.displayName} cannot enforce this revision: ${reasons}`, {
            fieldErrors: { environments: reasons },
            extra: { environment: env.name, refusals: plan.refusals },
          });
        }
      }
    }
    const out: DeploymentRow[] = [];
    const pulled: string[] = [];
    for (const env of envs) {
      const pull = isPullType(env.type);
      const now = new Date().toISOString();
      const step = pull
        ? { at: now, step: "Published", detail: `revision ${revision.number} in the snapshot of ${env.name}` }
        : { at: now, step: "Queued", detail: `revision ${revision.number} for ${env.name}` };
      const status = pull ? "deployed" : "pending";
      const reference = pull ? { type: env.type, kind: "pull", version: 1, revisionNumber: revision.number } : undefined;
      const [row] = await tx
        .insert(deployments)
        .values({
          id: newId("dep"),
          apiId: api.id,
          revisionId: revision.id,
          environmentId: env.id,
          status,
          steps: [step],
          createdBy: ctx.actor?.id,
          ...(pull ? { reference, deployedRevisionId: revision.id } : {}),
        })
        .onConflictDoUpdate({
          target: [deployments.apiId, deployments.environmentId],
          set: {
            revisionId: revision.id,
            status,
            error: null,
            // Steps are the progress of the latest run; earlier runs keep theirs in their jobs.
            steps: [step],
            ...(pull ? { reference, deployedRevisionId: revision.id } : {}),
            updatedAt: new Date(),
          },
        })
        .returning();
      if (pull) pulled.push(env.id);
      else {
        const job = await enqueueJob(tx, {
          kind: DEPLOY_JOB,
          payload: { deploymentId: row.id, revisionId: revision.id },
          concurrencyKey: `deployment:${row.id}`,
          createdBy: ctx.actor?.id,
        });
        await tx.update(deployments).set({ jobId: job.id }).where(eq(deployments.id, row.id));
        row.jobId = job.id;
      }
      out.push(row);
    }
    if (pulled.length) await bumpSnapshotVersions(tx, pulled);
    await writeAudit(tx, ctx, {
      action: "api.deploy",
      objectType: "api",
      objectId: api.id,
      details: { revision: revision.number, environments: envs.map((e) => e.name) },
    });
    return out;
  });
}
