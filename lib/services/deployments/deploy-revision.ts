import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getDescriptor } from "@/lib/connectors/registry";
import { getDb } from "@/lib/db/client";
import { apiRevisions, deployments, environments, type DeploymentRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { loadApiForActor } from "@/lib/services/apis/access";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";

export const deployInputSchema = z.object({
  revisionId: z.string().min(1).max(64),
  environments: z.array(z.string().min(1).max(63)).min(1, "Choose at least one environment.").max(50),
});

/** Pull gateways (built-in, agents) take a deployment from their next snapshot. */
export const PULL_TYPES = new Set(["builtin", "agent"]);

/**
 * Deploys a revision to environments, one deployment per environment. For pull gateways the
 * deployment is recorded and the environment's snapshot version bumped in one transaction:
 * gateways long-polling the snapshot serve it within a second. Redeploying replaces the
 * revision that runs there.
 */
export async function deployRevision(apiId: string, input: unknown, ctx: ServiceContext): Promise<DeploymentRow[]> {
  const values = parseInput(deployInputSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { api } = await loadApiForActor(tx, apiId, ctx, { write: true });
    if (api.lifecycleState === "RETIRED") throw new AppError("conflict", "A retired API cannot be deployed.");
    const [revision] = await tx.select().from(apiRevisions).where(and(eq(apiRevisions.id, values.revisionId), eq(apiRevisions.apiId, api.id))).limit(1);
    if (!revision) throw new AppError("not_found", "No such revision of this API.", { fieldErrors: { revisionId: "No such revision of this API." } });
    const names = [...new Set(values.environments)];
    const envs = await tx.select().from(environments).where(inArray(environments.name, names));
    const missing = names.filter((n) => !envs.some((e) => e.name === n));
    if (missing.length) throw new AppError("validation_failed", `No such environment: ${missing.join(", ")}.`, { fieldErrors: { environments: `No such environment: ${missing.join(", ")}.` } });
    for (const env of envs) {
      if (env.mode === "read-only") throw new AppError("conflict", `${env.displayName} is read-only: Meridian does not deploy there.`);
      if (!PULL_TYPES.has(env.type)) throw new AppError("not_implemented", `${getDescriptor(env.type).label} deployment is not available yet.`);
      const endpoint = revision.settings.endpoints.overrides?.[env.name]?.production ?? revision.settings.endpoints.production;
      if (!endpoint) throw new AppError("validation_failed", `Revision ${revision.number} has no production endpoint for ${env.name}: set one and create a new revision.`);
    }
    const out: DeploymentRow[] = [];
    for (const env of envs) {
      const step = { at: new Date().toISOString(), step: "published", detail: `revision ${revision.number} in the snapshot of ${env.name}` };
      const [row] = await tx
        .insert(deployments)
        .values({ id: newId("dep"), apiId: api.id, revisionId: revision.id, environmentId: env.id, status: "deployed", steps: [step], createdBy: ctx.actor?.id, reference: { kind: "pull", version: 1, revisionNumber: revision.number } })
        .onConflictDoUpdate({
          target: [deployments.apiId, deployments.environmentId],
          set: { revisionId: revision.id, status: "deployed", error: null, steps: sql`${deployments.steps} || ${JSON.stringify([step])}::jsonb`, reference: { kind: "pull", version: 1, revisionNumber: revision.number }, updatedAt: new Date() },
        })
        .returning();
      out.push(row);
    }
    await bumpSnapshotVersions(tx, envs.map((e) => e.id));
    await writeAudit(tx, ctx, { action: "api.deploy", objectType: "api", objectId: api.id, details: { revision: revision.number, environments: names } });
    return out;
  });
}
