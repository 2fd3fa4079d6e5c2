import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { assertPullGateway } from "./gateway-token";

/** Revokes the gateway token: the environment's gateways can no longer sync. Revoking twice is harmless. */
export async function revokeGatewayToken(name: string, ctx: ServiceContext): Promise<void> {
  assertCan(ctx, "environments:write");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(environments).where(eq(environments.name, name)).for("update").limit(1);
    if (!current) throw new AppError("not_found", `No environment named "${name}".`);
    assertPullGateway(current);
    if (!current.gatewayTokenHash) return;
    await tx.update(environments).set({ gatewayTokenHash: null, gatewayTokenPrefix: null, gatewayTokenCreatedAt: null }).where(eq(environments.id, current.id));
    await writeAudit(tx, ctx, { action: "environment.token_revoke", objectType: "environment", objectId: current.id, details: { name, prefix: current.gatewayTokenPrefix } });
  });
}
