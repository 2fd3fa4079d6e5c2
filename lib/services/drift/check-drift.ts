import { eq } from "drizzle-orm";
import { getConnector, getDescriptor } from "@/lib/connectors/registry";
import type { DeploymentRef } from "@/lib/connectors/types";
import { getDb } from "@/lib/db/client";
import { deploymentDrift, deployments, environments, type DeploymentDriftRow, type DriftState } from "@/lib/db/schema";
import { diffArtifacts } from "@/lib/domain/project/artifact-text";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { systemContext, type ServiceContext } from "@/lib/services/context";
import { previousRefOf } from "@/lib/services/deployments/run-deploy-job";
import { decryptConfig } from "@/lib/services/environments/config-secrets";
import { artifactsHash, recordApplied } from "./record-applied";

/** Deployments a drift check looks at: deployed through a connector that can read what runs. */
export const DRIFT_STATUSES = ["deployed", "drifted"] as const;

export function canCheckDrift(type: string): boolean {
  return typeof getConnector(type).readLive === "function";
}

/**
 * Compares what runs for one deployment with what Meridian last applied there, and records the
 * outcome: In sync, Drifted (with the artifacts' diff) or Missing. A change of state is audited.
 * A deployment applied before drift detection existed gets its baseline from this first read.
 */
export async function checkDeploymentDrift(
  deploymentId: string,
  options: { signal?: AbortSignal; ctx?: ServiceContext } = {},
): Promise<DeploymentDriftRow | null> {
  const db = await getDb();
  const [row] = await db
    .select({ d: deployments, env: environments, drift: deploymentDrift })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .leftJoin(deploymentDrift, eq(deploymentDrift.deploymentId, deployments.id))
    .where(eq(deployments.id, deploymentId))
    .limit(1);
  if (!row || !(DRIFT_STATUSES as readonly string[]).includes(row.d.status) || !canCheckDrift(row.env.type)) return null;
  const ref = previousRefOf(row.d.reference, row.env.type) as DeploymentRef | undefined;
  if (!ref) return null;
  const connector = getConnector(row.env.type);
  const config = decryptConfig(getDescriptor(row.env.type), row.env.config);
  const now = new Date();
  let live;
  try {
    live = await connector.readLive!(config, ref, { signal: options.signal });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (row.drift)
      await db
        .update(deploymentDrift)
        .set({ checkedAt: now, checkError: message.slice(0, 2000) })
        .where(eq(deploymentDrift.deploymentId, deploymentId));
    throw error;
  }
  if (!row.drift) {
    if (!live.exists) {
      // Nothing to compare with, and nothing runs: missing all the same.
      await recordApplied(db, { deploymentId, environmentId: row.env.id, revisionId: row.d.deployedRevisionId ?? row.d.revisionId, live });
      await db
        .update(deploymentDrift)
        .set({ state: "missing", reason: live.reason ?? null })
        .where(eq(deploymentDrift.deploymentId, deploymentId));
    } else {
      await recordApplied(db, { deploymentId, environmentId: row.env.id, revisionId: row.d.deployedRevisionId ?? row.d.revisionId, live });
    }
    const [first] = await db.select().from(deploymentDrift).where(eq(deploymentDrift.deploymentId, deploymentId));
    return first;
  }
  const state: DriftState = !live.exists ? "missing" : artifactsHash(live.artifacts) === row.drift.appliedHash ? "in_sync" : "drifted";
  const diff = state === "in_sync" ? null : diffArtifacts(row.drift.appliedArtifacts, live.artifacts);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(deploymentDrift)
      .set({ state, liveArtifacts: live.exists ? live.artifacts : [], diff, reason: live.reason ?? null, checkedAt: now, checkError: null })
      .where(eq(deploymentDrift.deploymentId, deploymentId))
      .returning();
    if (state !== row.drift!.state) {
      await writeAudit(tx, options.ctx ?? systemContext, {
        action: "deployment.drift",
        objectType: "deployment",
        objectId: deploymentId,
        details: {
          environment: row.env.name,
          from: row.drift!.state,
          to: state,
          ...(diff ? { added: diff.added, removed: diff.removed } : {}),
          ...(live.reason ? { reason: live.reason } : {}),
        },
      });
    }
    return updated;
  });
}
