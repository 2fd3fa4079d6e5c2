import { createLocalJWKSet, jwtVerify, type JWK } from "jose";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { revokedTokens } from "@/lib/db/schema";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { authenticateClient } from "./authenticate-client";
import { OAuthError } from "./oauth-error";
import { getJwks } from "./signing-keys";

/** Verifies one of our access tokens; null for anything that is not (RFC 7009 answers 200 then). */
export async function verifyOwnAccessToken(token: string): Promise<{ jti: string; exp: number; sub: string; client_id: string } | null> {
  try {
    const jwks = createLocalJWKSet((await getJwks()) as { keys: JWK[] });
    const { payload } = await jwtVerify(token, jwks, {
      issuer: config.tokenIssuer,
      audience: config.tokenAudience,
      algorithms: ["ES256", "RS256"],
      clockTolerance: 30,
    });
    if (!payload.jti || !payload.exp || !payload.sub || typeof payload.client_id !== "string") return null;
    return { jti: payload.jti, exp: payload.exp, sub: payload.sub, client_id: payload.client_id };
  } catch {
    return null;
  }
}

/** Records a revocation; gateways refuse the token once their snapshot carries it. */
export async function recordRevocation(claims: { jti: string; exp: number; sub: string }): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .insert(revokedTokens)
      .values({ jti: claims.jti, applicationId: claims.sub, expiresAt: new Date(claims.exp * 1000) })
      .onConflictDoNothing();
    await bumpSnapshotVersions(tx);
  });
}

/** RFC 7009: the client revokes one of its own access tokens. Unknown tokens are not an error. */
export async function revokeAccessToken(input: {
  token?: string;
  tokenTypeHint?: string;
  clientId: string;
  clientSecret: string;
}): Promise<void> {
  const client = await authenticateClient(input.clientId, input.clientSecret);
  if (!input.token) throw new OAuthError("invalid_request", "token is required.");
  if (input.tokenTypeHint && !["access_token", "refresh_token"].includes(input.tokenTypeHint)) {
    throw new OAuthError("unsupported_token_type", "Only access tokens can be revoked.");
  }
  const claims = await verifyOwnAccessToken(input.token);
  if (!claims) {
    // Expired, malformed or foreign tokens: nothing to revoke (§2.2).
    return;
  }
  if (claims.client_id !== client.clientId) throw new OAuthError("unauthorized_client", "The token was not issued to this client.");
  await recordRevocation(claims);
}
