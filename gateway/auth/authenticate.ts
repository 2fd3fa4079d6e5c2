import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { RuntimeApi, RuntimeOperation, RuntimeSnapshot } from "../runtime-snapshot";
import { subscriptionKey } from "../runtime-snapshot";
import type { JwtVerifier, TokenCheck } from "./jwt-verifier";

/**
 * Who is calling and whether they may: a credential of one of the operation's schemes, then an
 * active subscription of that application to this API, then the operation's scopes.
 */

export interface Principal {
  applicationId: string;
  keyType: "production" | "sandbox";
  tierName: string;
}

/** `scope`: for insufficient_scope, the scopes the operation requires (RFC 6750 §3). */
export type AuthFailure = { status: 401 | 403; code: string; message: string; scope?: string };
export type AuthResult = { ok: true; principal: Principal } | ({ ok: false } & AuthFailure);

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (!value || value.length < 8 || value.slice(0, 7).toLowerCase() !== "bearer ") return undefined;
  return value.slice(7).trim() || undefined;
}

export function apiKeyHeader(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.apikey ?? headers["x-api-key"];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function refuse(status: 401 | 403, code: string, message: string): { ok: false } & AuthFailure {
  return { ok: false, status, code, message };
}

export interface Identity {
  applicationId: string;
  keyType: "production" | "sandbox";
  /** Null for API keys, which carry no scopes. */
  scopes: Set<string> | null;
  /** The key manager that issued the token; absent for API keys. */
  keyManagerId?: string;
}

export type IdentifyResult = { ok: true; identity: Identity } | ({ ok: false } & AuthFailure);

function checkApiKey(key: string, runtime: RuntimeSnapshot): IdentifyResult {
  const found = runtime.apiKeys.get(createHash("sha256").update(key).digest("hex"));
  if (!found) return refuse(401, "invalid_api_key", "The API key is not valid.");
  if (found.expiresAt && Date.parse(found.expiresAt) <= Date.now()) return refuse(401, "api_key_expired", "The API key has expired.");
  return { ok: true, identity: { applicationId: found.applicationId, keyType: found.keyType, scopes: null } };
}

function fromToken(check: TokenCheck): IdentifyResult {
  if (!check.ok) return refuse(401, check.code, check.message);
  return {
    ok: true,
    identity: {
      applicationId: check.claims.applicationId,
      keyType: check.claims.keyType,
      scopes: check.claims.scopes,
      keyManagerId: check.claims.keyManagerId,
    },
  };
}

/** Sync when the token is cached or an API key is used, so the hot path awaits nothing. */
export function identify(
  headers: IncomingHttpHeaders,
  operation: RuntimeOperation,
  runtime: RuntimeSnapshot,
  verifier: JwtVerifier,
): IdentifyResult | Promise<IdentifyResult> {
  // A presented credential of an accepted scheme is checked and never skipped for another one.
  if (operation.security.includes("oauth2")) {
    const token = bearerToken(headers);
    if (token) {
      const hit = verifier.cached(token, runtime);
      return hit ? fromToken(hit) : verifier.verify(token, runtime).then(fromToken);
    }
  }
  if (operation.security.includes("apiKey")) {
    const key = apiKeyHeader(headers);
    if (key) return checkApiKey(key, runtime);
  }
  return refuse(401, "missing_credentials", "This operation needs an access token or an API key.");
}

export function authorize(identity: Identity, api: RuntimeApi, operation: RuntimeOperation, runtime: RuntimeSnapshot): AuthResult {
  if (identity.keyManagerId && !api.keyManagers.has(identity.keyManagerId)) {
    return refuse(401, "issuer_not_accepted", "This API does not accept access tokens of this key manager.");
  }
  const sub = runtime.subscriptions.get(subscriptionKey(identity.applicationId, api.api.id));
  if (!sub) return refuse(403, "subscription_required", "The application is not subscribed to this API.");
  if (sub.status === "blocked") return refuse(403, "subscription_blocked", "The subscription to this API is blocked.");
  if (sub.status !== "active") return refuse(403, "subscription_pending", "The subscription to this API awaits approval.");
  if (operation.scopes.length > 0) {
    const scopes = identity.scopes;
    if (!scopes || !operation.scopes.every((s) => scopes.has(s))) {
      const needed = operation.scopes.join(" ");
      const message = scopes
        ? `This operation needs an access token with the scopes ${needed}.`
        : `This operation needs an access token with the scopes ${needed}; API keys carry no scopes.`;
      return { ...refuse(403, "insufficient_scope", message), scope: needed };
    }
  }
  if (identity.keyType === "sandbox" && !api.sandbox) return refuse(403, "sandbox_not_available", "This API has no sandbox endpoint.");
  return { ok: true, principal: { applicationId: identity.applicationId, keyType: identity.keyType, tierName: sub.tier } };
}
