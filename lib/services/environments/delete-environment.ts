import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { countDeploymentsIn, forgetUndeployedIn } from "./count-deployments";
import { forgetCheckedGatewayTokens } from "@/lib/services/gateways/verify-gateway-token";

/** Deletes an environment and its instance records; refused while anything is deployed there. */
export async function deleteEnvironment(name: string, ctx: ServiceContext): Promise<void> {
  assertCan(ctx, "environments:write");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(environments).where(eq(environments.name, name)).for("update").limit(1);
    if (!current) throw new AppError("not_found", `No environment named "${name}".`);
    const deployments = await countDeploymentsIn(current.id, tx);
    if (deployments > 0) {
      throw new AppError(
        "conflict",
        `${deployments} ${deployments === 1 ? "API is" : "APIs are"} deployed to "${name}": undeploy ${deployments === 1 ? "it" : "them"} first.`,
        { extra: { deployments } },
      );
    }
    await forgetUndeployedIn(current.id, tx);
    await tx.delete(environments).where(eq(environments.id, current.id));
    await writeAudit(tx, ctx, {
      action: "environment.delete",
      objectType: "environment",
      objectId: current.id,
      details: { name, type: current.type },
    });
  });
  forgetCheckedGatewayTokens();
}
