import { getDb } from "@/lib/db/client";
import type { DeploymentRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { loadApiForActor } from "@/lib/services/apis/access";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { deploymentOrThrow } from "./get-drift";

/**
 * Puts Meridian's version back where it drifted or went missing: the revision Meridian last
 * applied is deployed again (a job, as any deployment); its success records a new baseline.
 */
export async function reapplyDeployment(id: string, ctx: ServiceContext): Promise<DeploymentRow> {
  const { d, env } = await deploymentOrThrow(id);
  const db = await getDb();
  await loadApiForActor(db, d.apiId, ctx, { write: true });
  if (d.status === "undeployed" || d.status === "undeploying")
    throw new AppError("conflict", "This deployment was undeployed: deploy a revision instead.");
  const revisionId = d.deployedRevisionId ?? d.revisionId;
  const [row] = await deployRevision(d.apiId, { revisionId, environments: [env.name] }, ctx);
  await writeAudit(db, ctx, { action: "deployment.reapply", objectType: "deployment", objectId: id, details: { environment: env.name } });
  return row;
}
