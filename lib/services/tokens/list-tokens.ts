import { desc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { personalAccessTokens } from "@/lib/db/schema";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { toPublicToken, type PublicToken } from "./token-dto";

export const MAX_TOKENS_LISTED = 200;

/** The acting user's own tokens, newest first (a user keeps a bounded number in view). */
export async function listTokens(ctx: ServiceContext): Promise<PublicToken[]> {
  const actor = assertCan(ctx, "tokens:own");
  const db = await getDb();
  const rows = await db
    .select()
    .from(personalAccessTokens)
    .where(eq(personalAccessTokens.userId, actor.id))
    .orderBy(desc(personalAccessTokens.createdAt))
    .limit(MAX_TOKENS_LISTED);
  return rows.map((r) => toPublicToken(r));
}
