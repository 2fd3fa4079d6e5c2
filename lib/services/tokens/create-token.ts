import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { personalAccessTokens } from "@/lib/db/schema";
import { hashToken, randomToken } from "@/lib/crypto/hash";

import { parseInput } from "@/lib/services/validate";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { toPublicToken, type PublicToken } from "./token-dto";

export const PAT_PREFIX = "mpat_";

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name.").max(100, "Use at most 100 characters."),
  expiresInDays: z.coerce.number().int().min(1, "At least one day.").max(3650, "At most ten years.").optional(),
});

/** Creates a personal access token for the acting user. The secret is returned once. */
export async function createToken(input: unknown, ctx: ServiceContext): Promise<{ token: string; record: PublicToken }> {
  const actor = assertCan(ctx, "tokens:own");
  const values = parseInput(createTokenSchema, input);
  const token = `${PAT_PREFIX}${randomToken(32)}`;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(personalAccessTokens)
      .values({
        id: newId("pat"),
        userId: actor.id,
        name: values.name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, PAT_PREFIX.length + 6),
        expiresAt: values.expiresInDays ? new Date(Date.now() + values.expiresInDays * 86400_000) : null,
      })
      .returning();
    await writeAudit(tx, ctx, { action: "token.create", objectType: "token", objectId: row.id, details: { name: row.name } });
    return { token, record: toPublicToken(row) };
  });
}
