import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { deploymentDrift, deployments, type DeploymentRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { loadApiForActor } from "@/lib/services/apis/access";
import { createRevision } from "@/lib/services/apis/create-revision";
import { updateDefinition } from "@/lib/services/apis/update-definition";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { deploymentOrThrow } from "./get-drift";
import { artifactsHash } from "./record-applied";

/** Vendor extensions and servers describe the gateway, not the API: they stay out of Meridian's document. */
export function portableDefinition(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(portableDefinition);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !k.startsWith("x-amazon-apigateway") && !k.startsWith("x-ms-"))
      .map(([k, v]) => [k, portableDefinition(v)]),
  );
}

/**
 * Makes what runs on the gateway Meridian's: its OpenAPI export becomes the API's document and
 * a new revision, which the deployment then names as deployed, with what runs as its baseline.
 * Only where it maps back: the deployment drifted (not missing) and the gateway exports OpenAPI.
 */
export async function adoptLive(
  id: string,
  ctx: ServiceContext,
): Promise<{ revisionId: string; revisionNumber: number; deployment: DeploymentRow }> {
  const { d, env } = await deploymentOrThrow(id);
  const db = await getDb();
  // Who may change the API may adopt; nobody else learns anything of its drift here.
  await loadApiForActor(db, d.apiId, ctx, { write: true });
  const [drift] = await db.select().from(deploymentDrift).where(eq(deploymentDrift.deploymentId, id)).limit(1);
  if (!drift || drift.state !== "drifted")
    throw new AppError(
      "conflict",
      drift?.state === "missing"
        ? "Nothing runs there to adopt: re-apply instead."
        : "This deployment has not drifted: there is nothing to adopt.",
    );
  const exported = (drift.liveArtifacts ?? []).find((a) => a.kind === "openapi");
  if (!exported) throw new AppError("conflict", `What runs on ${env.displayName} cannot be mapped back to an OpenAPI document.`);
  const document = portableDefinition(exported.content) as Record<string, unknown>;
  delete document.servers;
  await updateDefinition(d.apiId, JSON.stringify(document, null, 2), ctx);
  const revision = await createRevision(d.apiId, { description: `Adopted from ${env.name}` }, ctx);
  return db.transaction(async (tx) => {
    const reference = { ...(d.reference ?? {}), revisionNumber: revision.number };
    const [row] = await tx
      .update(deployments)
      .set({ revisionId: revision.id, deployedRevisionId: revision.id, reference, status: "deployed", error: null })
      .where(eq(deployments.id, id))
      .returning();
    const live = drift.liveArtifacts ?? [];
    await tx
      .update(deploymentDrift)
      .set({
        appliedRevisionId: revision.id,
        appliedArtifacts: live,
        appliedHash: artifactsHash(live),
        appliedAt: new Date(),
        state: "in_sync",
        diff: null,
        reason: null,
      })
      .where(eq(deploymentDrift.deploymentId, id));
    await writeAudit(tx, ctx, {
      action: "deployment.adopt",
      objectType: "deployment",
      objectId: id,
      details: { environment: env.name, revision: revision.number },
    });
    return { revisionId: revision.id, revisionNumber: revision.number, deployment: row };
  });
}
