import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { deployments, environments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { loadApiForActor } from "@/lib/services/apis/access";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { canCheckDrift, checkDeploymentDrift } from "./check-drift";
import { driftCounts, driftViews, type DriftCounts, type DriftView } from "./drift-view";

export async function deploymentOrThrow(id: string) {
  const db = await getDb();
  const [row] = await db
    .select({ d: deployments, env: environments })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(eq(deployments.id, id))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such deployment.");
  return row;
}

/** One deployment's drift, for whoever may read its API. */
export async function getDeploymentDrift(id: string, ctx: ServiceContext): Promise<DriftView> {
  const { d } = await deploymentOrThrow(id);
  const db = await getDb();
  await loadApiForActor(db, d.apiId, ctx);
  const [view] = await driftViews(db, and(eq(deployments.id, id)), 1);
  return view;
}

/** Checks one deployment now (on demand) and answers its drift. */
export async function checkDriftNow(id: string, ctx: ServiceContext): Promise<DriftView> {
  const { d, env } = await deploymentOrThrow(id);
  const db = await getDb();
  await loadApiForActor(db, d.apiId, ctx, { write: true });
  if (!canCheckDrift(env.type)) throw new AppError("conflict", `${env.displayName} gateways are not checked for drift.`);
  if (d.status !== "deployed" && d.status !== "drifted")
    throw new AppError("conflict", `This deployment is ${d.status}: drift is checked once it is deployed.`);
  try {
    await checkDeploymentDrift(id, { ctx });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      "upstream_unavailable",
      `Could not read what runs on ${env.displayName}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return getDeploymentDrift(id, ctx);
}

/** Drift of an API's deployments, for the publisher's deployments tab. */
export async function listApiDrift(apiId: string, ctx: ServiceContext): Promise<DriftView[]> {
  const db = await getDb();
  await loadApiForActor(db, apiId, ctx);
  return (await driftViews(db, and(eq(deployments.apiId, apiId)), 200)).filter((v) => canCheckDrift(v.environmentType));
}

/** Drift of an environment's deployments (admin), with counts; bounded to the 200 most recently changed. */
export async function listEnvironmentDrift(name: string, ctx: ServiceContext): Promise<{ counts: DriftCounts; items: DriftView[] }> {
  // Every API's deployments: the admin's view (publishers see their own APIs' drift).
  assertCan(ctx, "environments:write");
  const db = await getDb();
  const env = await getEnvironmentRowOrThrow(name, db);
  const items = await driftViews(db, and(eq(deployments.environmentId, env.id), inArray(deployments.status, ["deployed", "drifted"])), 200);
  return { counts: await driftCounts(db, [env.id]), items };
}

/** Drift counts of one environment (GET /api/v1/environments/{name}), or of all (the admin home). */
export async function environmentDriftCounts(environmentId?: string): Promise<DriftCounts> {
  return driftCounts(await getDb(), environmentId ? [environmentId] : undefined);
}
