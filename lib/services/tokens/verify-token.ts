import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { personalAccessTokens } from "@/lib/db/schema";
import { hashToken } from "@/lib/crypto/hash";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/context";
import { loadActor } from "@/lib/services/users/authenticate";
import { PAT_PREFIX } from "./create-token";

/** Resolves a bearer token to its user, with that user's current roles. */
export async function verifyToken(token: string): Promise<Actor> {
  const invalid = new AppError("invalid_token", "The access token is invalid, expired or revoked.");
  if (!token.startsWith(PAT_PREFIX) || token.length > 200) throw invalid;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(personalAccessTokens)
    .where(eq(personalAccessTokens.tokenHash, hashToken(token)))
    .limit(1);
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date())) throw invalid;
  const actor = await loadActor(row.userId);
  if (!actor) throw invalid;
  // Last use is informative only: updated at most once a minute per token.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(personalAccessTokens).set({ lastUsedAt: new Date() }).where(eq(personalAccessTokens.id, row.id));
  }
  return actor;
}
