import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apis } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { loadApiForActor } from "./access";
import { countActiveSubscriptions, countDeployments, removeInactiveUsage } from "./usage";

/**
 * Deletes an API with its revisions, documents and history, but only when it is deployed
 * nowhere and nobody is subscribed: otherwise gateways would keep serving an API that no
 * longer exists here, and consumers would lose access without notice.
 */
export async function deleteApi(id: string, ctx: ServiceContext): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const { api } = await loadApiForActor(tx, id, ctx, { write: true, lock: true });
    const [deployments, subscriptions] = await Promise.all([countDeployments(tx, id), countActiveSubscriptions(tx, id)]);
    const reasons: string[] = [];
    if (deployments > 0)
      reasons.push(`it is deployed to ${deployments} gateway environment${deployments === 1 ? "" : "s"} (undeploy it first)`);
    if (subscriptions > 0)
      reasons.push(`it has ${subscriptions} active subscription${subscriptions === 1 ? "" : "s"} (block or remove them first)`);
    if (reasons.length)
      throw new AppError("conflict", `The API "${api.name}" cannot be deleted: ${reasons.join(" and ")}.`, {
        extra: { deployments, subscriptions },
      });
    await removeInactiveUsage(tx, id);
    await tx.delete(apis).where(eq(apis.id, id));
    await writeAudit(tx, ctx, {
      action: "api.delete",
      objectType: "api",
      objectId: id,
      details: { name: api.name, version: api.version, context: api.context },
    });
  });
}
