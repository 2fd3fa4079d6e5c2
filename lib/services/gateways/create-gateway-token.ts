import { count, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { environments, gatewayTokens } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import {
  assertPullGateway,
  gatewayTokenNameSchema,
  insertGatewayToken,
  MAX_GATEWAY_TOKENS,
  PRIMARY_GATEWAY_TOKEN,
  type IssuedGatewayToken,
} from "./gateway-token";

export const createGatewayTokenSchema = z.object({ name: gatewayTokenNameSchema });
export type CreateGatewayTokenInput = z.input<typeof createGatewayTokenSchema>;

/**
 * Issues a named gateway token for a pull environment, beside the ones it already has: no
 * other token is revoked. The secret is returned once.
 */
export async function createGatewayToken(
  environment: string,
  input: CreateGatewayTokenInput,
  ctx: ServiceContext,
): Promise<IssuedGatewayToken> {
  const actor = assertCan(ctx, "environments:write");
  const { name } = parseInput(createGatewayTokenSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [env] = await tx.select().from(environments).where(eq(environments.name, environment)).for("update").limit(1);
    if (!env) throw new AppError("not_found", `No environment named "${environment}".`);
    assertPullGateway(env);
    const [{ n }] = await tx.select({ n: count() }).from(gatewayTokens).where(eq(gatewayTokens.environmentId, env.id));
    if (n >= MAX_GATEWAY_TOKENS)
      throw new AppError(
        "conflict",
        `Environment "${environment}" already has ${MAX_GATEWAY_TOKENS} gateway tokens: revoke unused ones first.`,
      );
    const issued = await insertGatewayToken(tx, env, name, actor.id === "system" ? null : actor.id);
    if (name === PRIMARY_GATEWAY_TOKEN) {
      await tx
        .update(environments)
        .set({ gatewayTokenPrefix: issued.prefix, gatewayTokenCreatedAt: new Date(issued.createdAt) })
        .where(eq(environments.id, env.id));
    }
    await writeAudit(tx, ctx, {
      action: "environment.token_create",
      objectType: "environment",
      objectId: env.id,
      details: { name: environment, token: issued.name, tokenId: issued.id, prefix: issued.prefix },
    });
    return issued;
  });
}
