import { desc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { alias } from "drizzle-orm/pg-core";
import { apiRevisions, deployments, environments, type DeploymentStep } from "@/lib/db/schema";
import { loadApiForActor } from "@/lib/services/apis/access";
import type { ServiceContext } from "@/lib/services/context";

export interface DeploymentView {
  id: string;
  environment: string;
  environmentName: string;
  environmentType: string;
  region: string;
  publicUrls: string[];
  revisionId: string;
  revisionNumber: number;
  /** The revision that serves there now, when it differs from the one asked for (a deploy running or failed). */
  deployedRevisionNumber: number | null;
  status: string;
  error: string | null;
  steps: DeploymentStep[];
  jobId: string | null;
  invokeUrl: string | null;
  updatedAt: string;
}

export async function listDeployments(apiId: string, ctx: ServiceContext): Promise<DeploymentView[]> {
  const db = await getDb();
  const { api } = await loadApiForActor(db, apiId, ctx);
  const deployed = alias(apiRevisions, "deployed_revision");
  const rows = await db
    .select({ d: deployments, env: environments, number: apiRevisions.number, deployedNumber: deployed.number })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .innerJoin(apiRevisions, eq(apiRevisions.id, deployments.revisionId))
    .leftJoin(deployed, eq(deployed.id, deployments.deployedRevisionId))
    .where(eq(deployments.apiId, api.id))
    .orderBy(desc(deployments.updatedAt))
    .limit(100);
  return rows.map(({ d, env, number, deployedNumber }) => ({
    id: d.id,
    environment: env.displayName,
    environmentName: env.name,
    environmentType: env.type,
    region: env.region,
    publicUrls: env.publicUrls,
    revisionId: d.revisionId,
    revisionNumber: number,
    deployedRevisionNumber: deployedNumber ?? null,
    status: d.status,
    error: d.error,
    steps: d.steps,
    jobId: d.jobId,
    invokeUrl: typeof d.reference?.invokeUrl === "string" ? d.reference.invokeUrl : null,
    updatedAt: d.updatedAt.toISOString(),
  }));
}
