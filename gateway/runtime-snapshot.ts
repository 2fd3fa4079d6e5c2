import { importJWK, type CryptoKey } from "jose";
import { parseOrigin, type Origin } from "./http1/client";
import type { ResolvedLimit } from "@/lib/domain/gateway/limit-resolution";
import type { ResolvedQuota } from "@/lib/domain/gateway/quota";
import { buildApiRouter, buildOperationRouter, type ApiRouter, type OperationRouter } from "@/lib/domain/gateway/route-match";
import type {
  ExternalClient,
  SnapshotKeyManager,
  RateLimit,
  Security,
  Snapshot,
  SnapshotApi,
  SnapshotApiKey,
  SnapshotOperation,
  Subscription,
  Tier,
} from "@/lib/domain/gateway/snapshot";

/**
 * A validated snapshot turned into lookup tables once, so that a request does map lookups
 * instead of scans. Replaced as a whole when a new snapshot arrives: a request holds the one it
 * started with.
 */

export interface Upstream {
  origin: string;
  /** The origin parsed once per snapshot, for the upstream client. */
  target: Origin;
  /** Path prefix of the upstream URL, without a trailing slash. */
  basePath: string;
}

export interface RuntimeOperation {
  operation: SnapshotOperation;
  method: string;
  path: string;
  /** `METHOD /template`, for limits, metrics and events. */
  key: string;
  /** Effective schemes: [] when open or when the API has none. */
  security: Security;
  scopes: string[];
  /**
   * What the gateway works out once per calling application ("" for anonymous calls), on first
   * use: it depends only on the snapshot, which this object lives and dies with.
   */
  callers: Map<string, OperationCaller>;
}

export interface OperationCaller {
  buckets: ResolvedLimit[];
  quota: ResolvedQuota | null;
  /** The group of this caller's analytics events (`eventGroupJson`), by key type ("none" for open operations). */
  eventGroup: { production?: string; sandbox?: string; none?: string };
}

export interface RuntimeApi {
  api: SnapshotApi;
  context: string;
  version: string;
  isDefaultVersion: boolean;
  operations: OperationRouter<RuntimeOperation>;
  production: Upstream;
  sandbox: Upstream | null;
  /** Credentials of this API's schemes are never forwarded, even on open operations. */
  stripBearer: boolean;
  stripApiKey: boolean;
  /** Key managers whose tokens this API accepts (`builtin` for Meridian's own). */
  keyManagers: Set<string>;
}

export interface VerificationKey {
  alg: string;
  key: CryptoKey;
}

export interface RuntimeSnapshot {
  snapshot: Snapshot;
  version: string;
  router: ApiRouter<RuntimeApi>;
  apiKeys: Map<string, SnapshotApiKey>;
  subscriptions: Map<string, Subscription>;
  revoked: Set<string>;
  tiers: Map<string, Tier>;
  applicationPolicies: Map<string, RateLimit>;
  keys: Map<string, VerificationKey>;
  /** External key managers by issuer. */
  keyManagersByIssuer: Map<string, SnapshotKeyManager>;
  /** `keyManagerId\nclientId` → the client's application. */
  externalClients: Map<string, ExternalClient>;
  /** Changes when the keys, issuer or audience change: verified tokens are then forgotten. */
  keyFingerprint: string;
}

export function externalClientKey(keyManagerId: string, clientId: string): string {
  return `${keyManagerId}\n${clientId}`;
}

export function subscriptionKey(applicationId: string, apiId: string): string {
  return `${applicationId}\n${apiId}`;
}

function upstream(url: string): Upstream {
  const u = new URL(url);
  return { origin: u.origin, target: parseOrigin(u.origin), basePath: u.pathname.replace(/\/+$/, "") };
}

function compileApi(api: SnapshotApi): RuntimeApi {
  const operations = api.operations.map((operation) => ({
    operation,
    method: operation.method,
    path: operation.path,
    key: `${operation.method} ${operation.path}`,
    security: operation.open ? [] : (operation.security ?? api.security),
    scopes: operation.scopes ?? [],
    callers: new Map<string, OperationCaller>(),
  }));
  const schemes = new Set([...api.security, ...api.operations.flatMap((o) => o.security ?? [])]);
  return {
    api,
    context: api.context,
    version: api.version,
    isDefaultVersion: api.isDefaultVersion,
    operations: buildOperationRouter(operations),
    production: upstream(api.upstream.production),
    sandbox: api.upstream.sandbox ? upstream(api.upstream.sandbox) : null,
    stripBearer: schemes.has("oauth2"),
    stripApiKey: schemes.has("apiKey"),
    keyManagers: new Set(api.keyManagers ?? ["builtin"]),
  };
}

export async function compileSnapshot(snapshot: Snapshot): Promise<RuntimeSnapshot> {
  const keys = new Map<string, VerificationKey>();
  for (const jwk of snapshot.jwks.keys) {
    const key = await importJWK(jwk, jwk.alg);
    if (!("type" in key) || key.type !== "public") throw new Error(`Key ${jwk.kid} is not a public key.`);
    keys.set(jwk.kid, { alg: jwk.alg, key });
  }
  const subscriptions = new Map<string, Subscription>();
  for (const sub of snapshot.subscriptions) {
    const key = subscriptionKey(sub.applicationId, sub.apiId);
    // Should two rows exist for one pair, an active one wins: refusing a paying client over a
    // stale duplicate is the worse mistake.
    if (!subscriptions.has(key) || sub.status === "active") subscriptions.set(key, sub);
  }
  return {
    snapshot,
    version: snapshot.version,
    router: buildApiRouter(snapshot.apis.map(compileApi)),
    apiKeys: new Map(snapshot.apiKeys.map((k) => [k.hash, k])),
    subscriptions,
    revoked: new Set(snapshot.revokedTokenIds.map((r) => r.jti)),
    tiers: new Map(snapshot.tiers.map((t) => [t.name, t])),
    applicationPolicies: new Map(Object.entries(snapshot.applicationPolicies)),
    keys,
    keyManagersByIssuer: new Map((snapshot.keyManagers ?? []).map((k) => [k.issuer, k])),
    externalClients: new Map((snapshot.externalClients ?? []).map((c) => [externalClientKey(c.keyManagerId, c.clientId), c])),
    // External clients are in it too: a deleted or remapped client's cached tokens are forgotten.
    keyFingerprint: JSON.stringify([
      snapshot.issuer,
      snapshot.audience,
      snapshot.jwks,
      snapshot.keyManagers ?? [],
      snapshot.externalClients ?? [],
    ]),
  };
}
