import { count, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apis, deployments, environments, type DeploymentStatus } from "@/lib/db/schema";
import { assertCan, type ServiceContext } from "@/lib/services/context";

/** What an operator must look at: deployments that failed, and ones that no longer match what runs. */
export const FAILING_STATUSES: DeploymentStatus[] = ["failed", "drifted"];

export interface FailingDeployment {
  id: string;
  apiId: string;
  apiName: string;
  apiVersion: string;
  /** The environment's display name, and its name (as in DeploymentView). */
  environment: string;
  environmentName: string;
  status: DeploymentStatus;
  error: string | null;
  updatedAt: string;
}

/** Admins: the most recent failing deployments across every API and environment, and how many there are. */
export async function listFailingDeployments(
  input: { limit?: number },
  ctx: ServiceContext,
): Promise<{ items: FailingDeployment[]; total: number }> {
  assertCan(ctx, "environments:write");
  const limit = Math.min(Math.max(input.limit ?? 5, 1), 50);
  const db = await getDb();
  const failing = inArray(deployments.status, FAILING_STATUSES);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        d: deployments,
        apiName: apis.name,
        apiVersion: apis.version,
        environment: environments.displayName,
        environmentName: environments.name,
      })
      .from(deployments)
      .innerJoin(apis, eq(apis.id, deployments.apiId))
      .innerJoin(environments, eq(environments.id, deployments.environmentId))
      .where(failing)
      .orderBy(desc(deployments.updatedAt))
      .limit(limit),
    db.select({ total: count() }).from(deployments).where(failing),
  ]);
  return {
    items: rows.map(({ d, apiName, apiVersion, environment, environmentName }) => ({
      id: d.id,
      apiId: d.apiId,
      apiName,
      apiVersion,
      environment,
      environmentName,
      status: d.status,
      error: d.error,
      updatedAt: d.updatedAt.toISOString(),
    })),
    total: Number(total),
  };
}
