import { desc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiRevisions, deployments, environments } from "@/lib/db/schema";
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
  status: string;
  error: string | null;
  updatedAt: string;
}

export async function listDeployments(apiId: string, ctx: ServiceContext): Promise<DeploymentView[]> {
  const db = await getDb();
  const { api } = await loadApiForActor(db, apiId, ctx);
  const rows = await db
    .select({ d: deployments, env: environments, number: apiRevisions.number })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .innerJoin(apiRevisions, eq(apiRevisions.id, deployments.revisionId))
    .where(eq(deployments.apiId, api.id))
    .orderBy(desc(deployments.updatedAt))
    .limit(100);
  return rows.map(({ d, env, number }) => ({
    id: d.id,
    environment: env.displayName,
    environmentName: env.name,
    environmentType: env.type,
    region: env.region,
    publicUrls: env.publicUrls,
    revisionId: d.revisionId,
    revisionNumber: number,
    status: d.status,
    error: d.error,
    updatedAt: d.updatedAt.toISOString(),
  }));
}
