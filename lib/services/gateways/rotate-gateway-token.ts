import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments, gatewayTokens } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { assertPullGateway, insertGatewayToken, PRIMARY_GATEWAY_TOKEN, type IssuedGatewayToken } from "./gateway-token";
import { forgetCheckedGatewayTokens } from "@/lib/services/gateways/verify-gateway-token";

export type { IssuedGatewayToken } from "./gateway-token";

/**
 * Issues the environment's `primary` gateway token (the single-token endpoint): the previous
 * primary token stops working at once; the environment's other named tokens are untouched.
 */
export async function rotateGatewayToken(name: string, ctx: ServiceContext): Promise<IssuedGatewayToken> {
  const actor = assertCan(ctx, "environments:write");
  const db = await getDb();
  const issued = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(environments).where(eq(environments.name, name)).for("update").limit(1);
    if (!current) throw new AppError("not_found", `No environment named "${name}".`);
    assertPullGateway(current);
    const removed = await tx
      .delete(gatewayTokens)
      .where(and(eq(gatewayTokens.environmentId, current.id), eq(gatewayTokens.name, PRIMARY_GATEWAY_TOKEN)))
      .returning({ id: gatewayTokens.id });
    const issued = await insertGatewayToken(tx, current, PRIMARY_GATEWAY_TOKEN, actor.id === "system" ? null : actor.id);
    await tx
      .update(environments)
      .set({ gatewayTokenPrefix: issued.prefix, gatewayTokenCreatedAt: new Date(issued.createdAt) })
      .where(eq(environments.id, current.id));
    await writeAudit(tx, ctx, {
      action: removed.length ? "environment.token_rotate" : "environment.token_create",
      objectType: "environment",
      objectId: current.id,
      details: { name, token: issued.name, prefix: issued.prefix },
    });
    return issued;
  });
  // The replaced token stops working here at once (other processes: within the token cache's time).
  forgetCheckedGatewayTokens();
  return issued;
}
