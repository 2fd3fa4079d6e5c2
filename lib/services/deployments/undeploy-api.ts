import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { deployments, environments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { loadApiForActor } from "@/lib/services/apis/access";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";

/** Removes an API from an environment. Undeploying what is not deployed is not an error. */
export async function undeployApi(apiId: string, environmentName: string, ctx: ServiceContext): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const { api } = await loadApiForActor(tx, apiId, ctx, { write: true });
    const [env] = await tx.select().from(environments).where(eq(environments.name, environmentName)).limit(1);
    if (!env) throw new AppError("not_found", `No such environment: ${environmentName}.`);
    const removed = await tx.delete(deployments).where(and(eq(deployments.apiId, api.id), eq(deployments.environmentId, env.id))).returning({ id: deployments.id });
    if (removed.length === 0) return;
    await bumpSnapshotVersions(tx, [env.id]);
    await writeAudit(tx, ctx, { action: "api.undeploy", objectType: "api", objectId: api.id, details: { environment: env.name } });
  });
}
