import { createHash } from "node:crypto";
import type { LiveState } from "@/lib/connectors/types";
import type { DbOrTx } from "@/lib/db/client";
import { deploymentDrift } from "@/lib/db/schema";
import { artifactsText, type ArtifactLike } from "@/lib/domain/project/artifact-text";

export const artifactsHash = (artifacts: ReadonlyArray<ArtifactLike>) =>
  createHash("sha256").update(artifactsText(artifacts)).digest("hex");

/**
 * Records what Meridian just applied, as the gateway reads it back: the baseline later checks
 * compare with. The deployment is in sync from here.
 */
export async function recordApplied(
  tx: DbOrTx,
  input: { deploymentId: string; environmentId: string; revisionId: string; live: LiveState },
): Promise<void> {
  const now = new Date();
  const values = {
    appliedRevisionId: input.revisionId,
    appliedArtifacts: input.live.artifacts,
    appliedHash: artifactsHash(input.live.artifacts),
    appliedAt: now,
    state: "in_sync" as const,
    liveArtifacts: input.live.artifacts,
    diff: null,
    reason: null,
    checkedAt: now,
    checkError: null,
  };
  await tx
    .insert(deploymentDrift)
    .values({ deploymentId: input.deploymentId, environmentId: input.environmentId, ...values })
    .onConflictDoUpdate({ target: deploymentDrift.deploymentId, set: { ...values, updatedAt: now } });
}
