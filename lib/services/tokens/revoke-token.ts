import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { personalAccessTokens } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";

/** Revokes one of the acting user's tokens. Revoking twice is harmless. */
export async function revokeToken(id: string, ctx: ServiceContext): Promise<void> {
  const actor = assertCan(ctx, "tokens:own");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(personalAccessTokens)
      .where(and(eq(personalAccessTokens.id, id), eq(personalAccessTokens.userId, actor.id)))
      .limit(1);
    if (!row) throw new AppError("not_found", "No such token.");
    await tx
      .update(personalAccessTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(personalAccessTokens.id, id), isNull(personalAccessTokens.revokedAt)));
    await writeAudit(tx, ctx, { action: "token.revoke", objectType: "token", objectId: id });
  });
}
