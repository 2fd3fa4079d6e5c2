import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { applications, oauthClients, type OauthClient } from "@/lib/db/schema";
import { hashToken, safeEqual } from "@/lib/crypto/hash";
import { OAuthError } from "./oauth-error";

/** Client authentication for the token and revocation endpoints (secrets are random and hashed). */
export async function authenticateClient(clientId: string, clientSecret: string): Promise<OauthClient> {
  const invalid = new OAuthError("invalid_client", "Client authentication failed.");
  if (!clientId || !clientSecret || clientId.length > 200 || clientSecret.length > 200) throw invalid;
  const db = await getDb();
  const [row] = await db
    .select({ client: oauthClients })
    .from(oauthClients)
    .innerJoin(applications, eq(applications.id, oauthClients.applicationId))
    .where(eq(oauthClients.clientId, clientId))
    .limit(1);
  if (!row || !safeEqual(row.client.secretHash, hashToken(clientSecret))) throw invalid;
  return row.client;
}
