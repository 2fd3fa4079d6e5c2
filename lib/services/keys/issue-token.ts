import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { config } from "@/lib/config";
import { parseScopeParameter, ungrantableScopes } from "@/lib/domain/openapi/scopes";
import { getSettings } from "@/lib/services/settings/get-settings";
import { authenticateClient } from "./authenticate-client";
import { OAuthError } from "./oauth-error";
import { getActiveSigningKey, SIGNING_ALG } from "./signing-keys";
import { subscribedScopes } from "./subscribed-scopes";

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope?: string;
}

/**
 * The scopes a token is granted: those requested, each of which an API the application is
 * actively subscribed to defines. Any other requested scope refuses the request (RFC 6749
 * §5.2 `invalid_scope`) rather than being dropped, so a client learns at once which scope its
 * subscriptions do not give it. No scope requested: a token without scopes (RFC 6749 §3.3's
 * pre-defined default), good for every operation that requires none.
 */
export async function grantScopes(applicationId: string, scope: string | undefined): Promise<string | undefined> {
  if (scope !== undefined && scope.length > 1000) throw new OAuthError("invalid_scope", "The scope is too long.");
  const requested = parseScopeParameter(scope);
  if (requested === null) throw new OAuthError("invalid_scope", "The scope is malformed: scope names separated by single spaces.");
  if (requested.length === 0) return undefined;
  const missing = ungrantableScopes(requested, await subscribedScopes(applicationId));
  if (missing.length) {
    throw new OAuthError(
      "invalid_scope",
      `No API this application is subscribed to defines the scope${missing.length === 1 ? "" : "s"} ${missing.join(" ")}.`,
    );
  }
  return requested.join(" ");
}

/** Signs an access token for an application (the client credentials grant and the portal); `scope` is already granted. */
export async function signAccessToken(input: {
  applicationId: string;
  clientId: string;
  keyType: string;
  scope?: string;
}): Promise<TokenResponse> {
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
export async function issueClientCredentialsToken(input: {
  grantType?: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}): Promise<TokenResponse> {
  if (!input.grantType) throw new OAuthError("invalid_request", "grant_type is required.");
  if (input.grantType !== "client_credentials")
    throw new OAuthError("unsupported_grant_type", "Only the client_credentials grant is supported.");
  const client = await authenticateClient(input.clientId, input.clientSecret);
  const scope = await grantScopes(client.applicationId, input.scope);
  return signAccessToken({ applicationId: client.applicationId, clientId: client.clientId, keyType: client.keyType, scope });
}
