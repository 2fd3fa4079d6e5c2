import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments, gatewayTokens } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { PRIMARY_GATEWAY_TOKEN } from "./gateway-token";
import { forgetCheckedGatewayTokens } from "@/lib/services/gateways/verify-gateway-token";

/** Revokes one named gateway token: only the gateways using it are cut off. */
export async function revokeGatewayTokenById(environment: string, tokenId: string, ctx: ServiceContext): Promise<void> {
  assertCan(ctx, "environments:write");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [env] = await tx.select().from(environments).where(eq(environments.name, environment)).for("update").limit(1);
    if (!env) throw new AppError("not_found", `No environment named "${environment}".`);
    const [removed] = await tx
      .delete(gatewayTokens)
      .where(and(eq(gatewayTokens.environmentId, env.id), eq(gatewayTokens.id, tokenId)))
      .returning();
    if (!removed) throw new AppError("not_found", `Environment "${environment}" has no gateway token ${tokenId}.`);
    if (removed.name === PRIMARY_GATEWAY_TOKEN) {
      await tx.update(environments).set({ gatewayTokenPrefix: null, gatewayTokenCreatedAt: null }).where(eq(environments.id, env.id));
    }
    await writeAudit(tx, ctx, {
      action: "environment.token_revoke",
      objectType: "environment",
      objectId: env.id,
      details: { name: environment, token: removed.name, tokenId: removed.id, prefix: removed.prefix },
    });
  });
  forgetCheckedGatewayTokens();
}
