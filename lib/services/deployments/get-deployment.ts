import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { deployments, environments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { loadApiForActor } from "@/lib/services/apis/access";
import type { ServiceContext } from "@/lib/services/context";

/** One deployment with its steps, error and reference, for whoever may read its API. */
export async function getDeployment(id: string, ctx: ServiceContext) {
  const db = await getDb();
  const [row] = await db
    .select({ d: deployments, env: environments.name })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(eq(deployments.id, id))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such deployment.");
  await loadApiForActor(db, row.d.apiId, ctx);
  const { d } = row;
  return {
    id: d.id,
    apiId: d.apiId,
    revisionId: d.revisionId,
    environment: row.env,
    status: d.status,
    deployedRevisionId: d.deployedRevisionId,
    jobId: d.jobId,
    steps: d.steps,
    error: d.error,
    reference: d.reference,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}
