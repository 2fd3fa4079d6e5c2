import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { config } from "@/lib/config";
import { getSettings } from "@/lib/services/settings/get-settings";
import { authenticateClient } from "./authenticate-client";
import { OAuthError } from "./oauth-error";
import { getActiveSigningKey, SIGNING_ALG } from "./signing-keys";

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope?: string;
}

const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/;

/** Signs an access token for an application (the client credentials grant and the portal). */
export async function signAccessToken(input: { applicationId: string; clientId: string; keyType: string; scope?: string }): Promise<TokenResponse> {
  const { accessTokenTtlSeconds } = await getSettings();
  const { kid, key } = await getActiveSigningKey();
  const token = await new SignJWT({ client_id: input.clientId, keytype: input.keyType, ...(input.scope ? { scope: input.scope } : {}) })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: "at+jwt" })
    .setIssuer(config.tokenIssuer)
    .setSubject(input.applicationId)
    .setAudience(config.tokenAudience)
    .setIssuedAt()
    .setExpirationTime(`${accessTokenTtlSeconds}s`)
    .setJti(randomUUID())
    .sign(key);
  return { access_token: token, token_type: "Bearer", expires_in: accessTokenTtlSeconds, ...(input.scope ? { scope: input.scope } : {}) };
}

/** RFC 6749 §4.4: the client credentials grant. */
export async function issueClientCredentialsToken(input: { grantType?: string; clientId: string; clientSecret: string; scope?: string }): Promise<TokenResponse> {
  if (!input.grantType) throw new OAuthError("invalid_request", "grant_type is required.");
  if (input.grantType !== "client_credentials") throw new OAuthError("unsupported_grant_type", "Only the client_credentials grant is supported.");
  const client = await authenticateClient(input.clientId, input.clientSecret);
  const scope = input.scope?.trim() || undefined;
  if (scope && (scope.length > 1000 || !SCOPE.test(scope))) throw new OAuthError("invalid_scope", "The scope is malformed.");
  return signAccessToken({ applicationId: client.applicationId, clientId: client.clientId, keyType: client.keyType, scope });
}
