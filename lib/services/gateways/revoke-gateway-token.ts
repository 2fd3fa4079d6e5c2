import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments, gatewayTokens } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { assertPullGateway, PRIMARY_GATEWAY_TOKEN } from "./gateway-token";
import { forgetCheckedGatewayTokens } from "@/lib/services/gateways/verify-gateway-token";

/**
 * Revokes the environment's `primary` gateway token (the single-token endpoint): gateways using
 * it can no longer sync; other named tokens keep working. Revoking twice is harmless.
 */
export async function revokeGatewayToken(name: string, ctx: ServiceContext): Promise<void> {
  assertCan(ctx, "environments:write");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(environments).where(eq(environments.name, name)).for("update").limit(1);
    if (!current) throw new AppError("not_found", `No environment named "${name}".`);
    assertPullGateway(current);
    const [removed] = await tx
      .delete(gatewayTokens)
      .where(and(eq(gatewayTokens.environmentId, current.id), eq(gatewayTokens.name, PRIMARY_GATEWAY_TOKEN)))
      .returning();
    await tx.update(environments).set({ gatewayTokenPrefix: null, gatewayTokenCreatedAt: null }).where(eq(environments.id, current.id));
    if (!removed) return;
    await writeAudit(tx, ctx, {
      action: "environment.token_revoke",
      objectType: "environment",
      objectId: current.id,
      details: { name, token: removed.name, prefix: removed.prefix },
    });
  });
  forgetCheckedGatewayTokens();
}
