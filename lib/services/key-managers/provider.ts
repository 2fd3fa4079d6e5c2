import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import {
  checkDiscoveryDocument,
  checkJwks,
  discoveryUrlOf,
  VERIFIABLE_ALGORITHMS,
  type ProviderMetadata,
} from "@/lib/domain/key-managers/discovery";
import { AppError } from "@/lib/errors";
import { safeFetch, type SafeFetchResult } from "@/lib/services/net/safe-fetch";

/**
 * Everything Meridian says to an external OpenID provider, always through the SSRF-safe fetch:
 * discovery, JWKS, dynamic client registration (RFC 7591) and its management (RFC 7592), and
 * the client-credentials grant that proves a client's ownership.
 */

const TIMEOUT_MS = 10_000;
const MAX_BYTES = 512 * 1024;

function parseJson(result: SafeFetchResult, what: string): unknown {
  try {
    return JSON.parse(result.body.toString("utf8"));
  } catch {
    throw new AppError("upstream_unavailable", `The ${what} at ${result.url} is not JSON.`);
  }
}

/** The provider's reason from an OAuth error body (`error`, `error_description`), if any. */
function providerReason(result: SafeFetchResult): string {
  try {
    const body = JSON.parse(result.body.toString("utf8")) as { error?: string; error_description?: string };
    if (body.error) return `${body.error}${body.error_description ? `: ${body.error_description}` : ""}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return `status ${result.status}`;
}

export async function fetchJwks(jwksUri: string): Promise<JSONWebKeySet> {
  const result = await safeFetch(jwksUri, { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, headers: { accept: "application/json" } });
  const jwks = parseJson(result, "JWKS");
  const check = checkJwks(jwks);
  if (!check.ok) throw new AppError("validation_failed", check.message, { fieldErrors: { issuer: check.message } });
  return jwks as JSONWebKeySet;
}

/**
 * Reads and checks the issuer's discovery document and its JWKS. Any failure is a
 * validation error on `issuer` with the reason: unreachable, inconsistent, no JWKS.
 */
export async function discoverProvider(issuer: string): Promise<ProviderMetadata & { keys: number }> {
  const refuse = (message: string) => new AppError("validation_failed", message, { fieldErrors: { issuer: message } });
  let result: SafeFetchResult;
  try {
    result = await safeFetch(discoveryUrlOf(issuer), {
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_BYTES,
      headers: { accept: "application/json" },
    });
  } catch (error) {
    const reason = error instanceof AppError ? error.message : "it could not be fetched";
    throw refuse(`The discovery document of ${issuer} could not be read: ${reason}`);
  }
  let document: unknown;
  try {
    document = parseJson(result, "discovery document");
  } catch (error) {
    throw refuse((error as Error).message);
  }
  const check = checkDiscoveryDocument(issuer, document);
  if (!check.ok) throw refuse(check.message);
  let jwks: JSONWebKeySet;
  try {
    jwks = await fetchJwks(check.metadata.jwksUri);
  } catch (error) {
    throw refuse(`The JWKS of ${issuer} is not usable: ${(error as Error).message}`);
  }
  return { ...check.metadata, keys: jwks.keys.length };
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  registrationAccessToken: string | null;
  registrationClientUri: string | null;
}

/** RFC 7591: registers a confidential client-credentials client. */
export async function registerClient(
  registrationEndpoint: string,
  initialAccessToken: string | null,
  clientName: string,
): Promise<RegisteredClient> {
  const result = await safeFetch(registrationEndpoint, {
    method: "POST",
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_BYTES,
    returnErrors: true,
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(initialAccessToken ? { authorization: `Bearer ${initialAccessToken}` } : {}),
    },
    body: JSON.stringify({
      client_name: clientName,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
    }),
  });
  if (result.status !== 201 && result.status !== 200) {
    throw new AppError("upstream_unavailable", `The key manager refused the client registration (${providerReason(result)}).`);
  }
  const body = parseJson(result, "registration response") as Record<string, unknown>;
  if (typeof body.client_id !== "string" || typeof body.client_secret !== "string") {
    throw new AppError("upstream_unavailable", "The key manager's registration response has no client_id or client_secret.");
  }
  return {
    clientId: body.client_id,
    clientSecret: body.client_secret,
    registrationAccessToken: typeof body.registration_access_token === "string" ? body.registration_access_token : null,
    registrationClientUri: typeof body.registration_client_uri === "string" ? body.registration_client_uri : null,
  };
}

/** RFC 7592 §2.3: deletes a registered client. Gone already (404, 401 for a deleted client) counts as deleted. */
export async function deleteRegisteredClient(registrationClientUri: string, registrationAccessToken: string): Promise<void> {
  const result = await safeFetch(registrationClientUri, {
    method: "DELETE",
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_BYTES,
    returnErrors: true,
    headers: { authorization: `Bearer ${registrationAccessToken}` },
  });
  if (result.status === 204 || result.status === 200 || result.status === 404 || result.status === 401) return;
  throw new AppError("upstream_unavailable", `The key manager refused to delete the client (${providerReason(result)}).`);
}

export interface ProviderToken {
  accessToken: string;
  expiresIn: number | null;
  tokenType: string;
  scope: string | null;
}

/** The client-credentials grant (RFC 6749 §4.4) with client_secret_basic. */
export async function clientCredentialsToken(
  tokenEndpoint: string,
  clientId: string,
  clientSecret: string,
  scope?: string,
): Promise<ProviderToken> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64");
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (scope) form.set("scope", scope);
  const result = await safeFetch(tokenEndpoint, {
    method: "POST",
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_BYTES,
    returnErrors: true,
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", authorization: `Basic ${basic}` },
    body: form.toString(),
  });
  if (result.status !== 200) {
    throw new AppError("invalid_credentials", `The key manager did not issue a token for this client (${providerReason(result)}).`);
  }
  const body = parseJson(result, "token response") as Record<string, unknown>;
  if (typeof body.access_token !== "string")
    throw new AppError("upstream_unavailable", "The key manager's token response has no access_token.");
  return {
    accessToken: body.access_token,
    expiresIn: typeof body.expires_in === "number" ? body.expires_in : null,
    tokenType: typeof body.token_type === "string" ? body.token_type : "Bearer",
    scope: typeof body.scope === "string" ? body.scope : null,
  };
}

/**
 * Checks an access token the provider issued as a gateway would: signature against the JWKS,
 * issuer, one of the audiences; returns the client id claim. Opaque tokens cannot be checked.
 */
export async function verifyProviderToken(
  token: string,
  km: { issuer: string; jwksUri: string; audiences: string[]; clientIdClaim: string },
): Promise<{ clientId: string | null }> {
  try {
    decodeJwt(token);
  } catch {
    throw new AppError("validation_failed", "The key manager issues opaque access tokens; gateways can only verify JWT access tokens.");
  }
  const jwks = createLocalJWKSet(await fetchJwks(km.jwksUri));
  try {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: km.issuer,
      audience: km.audiences,
      algorithms: [...VERIFIABLE_ALGORITHMS],
    });
    const value = payload[km.clientIdClaim];
    return { clientId: typeof value === "string" ? value : null };
  } catch (error) {
    throw new AppError(
      "validation_failed",
      `A token of this key manager does not pass the gateways' checks (${(error as Error).message}): check the audiences and the client id claim.`,
    );
  }
}
