import { eq } from "drizzle-orm";
import { hashToken, randomToken } from "@/lib/crypto/hash";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { assertPullGateway, GATEWAY_TOKEN_PREFIX, GATEWAY_TOKEN_SHOWN_CHARS } from "./gateway-token";

export interface IssuedGatewayToken {
  /** The secret: returned once, stored only as a hash. */
  token: string;
  prefix: string;
  createdAt: string;
}

/** Issues a new gateway token for a pull environment; the previous one stops working at once. */
export async function rotateGatewayToken(name: string, ctx: ServiceContext): Promise<IssuedGatewayToken> {
  assertCan(ctx, "environments:write");
  const token = `${GATEWAY_TOKEN_PREFIX}${randomToken(32)}`;
  const prefix = token.slice(0, GATEWAY_TOKEN_SHOWN_CHARS);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(environments).where(eq(environments.name, name)).for("update").limit(1);
    if (!current) throw new AppError("not_found", `No environment named "${name}".`);
    assertPullGateway(current);
    const [row] = await tx
      .update(environments)
      .set({ gatewayTokenHash: hashToken(token), gatewayTokenPrefix: prefix, gatewayTokenCreatedAt: new Date() })
      .where(eq(environments.id, current.id))
      .returning();
    await writeAudit(tx, ctx, { action: current.gatewayTokenHash ? "environment.token_rotate" : "environment.token_create", objectType: "environment", objectId: row.id, details: { name, prefix } });
    return { token, prefix, createdAt: row.gatewayTokenCreatedAt!.toISOString() };
  });
}
