import { createPublicKey } from "node:crypto";
import type { Cors, RateLimit, RateUnit, Security, Snapshot, SnapshotApi, SnapshotOperation } from "@/lib/domain/gateway/snapshot";
import { haproxyRefusalsFor } from "@/lib/domain/gateway/agent-gateways";
import { RESERVED_PATH_PREFIX } from "@/lib/domain/gateway/snapshot";
import { CompileError, type CompiledFiles } from "../kit/types";

/**
 * Meridian's snapshot as HAProxy configuration: `haproxy.cfg`, map files and PEM public keys,
 * with no code in the request path. Pure: the same snapshot and options give the same files.
 *
 * - Routes: one rule per API base path (`/{context}/{version}`, then `/{context}` for the
 *   default version), one per operation (path template as a regular expression, method).
 * - Tokens: `jwt_verify` against the key named by `kid` (PEM files under `keys/`), then issuer,
 *   audience, expiry, `keytype`, `sub` and `jti`. A verified token is remembered in the
 *   `st_jwt` stick table keyed by its SHA-256 (`gpt0` holds its `exp`, so a cached check ends
 *   with the token), and revoked ids (`maps/revoked.map`) are checked before the cache.
 * - API keys: `maps/apikeys.map`, SHA-256 of the key → `application|keyType`.
 * - Subscriptions: `maps/subscriptions.map`, `application|api` → `t<tier index>` (active),
 *   `blocked` or `pending`. The three maps are what changes most; the agent updates them over
 *   the admin socket without a reload.
 * - Tiers and API limits: sliding-window `http_req_rate` stick tables, one per unit, keyed by
 *   application × API (sc0) and by API (sc2); 429 with `Retry-After`.
 * - Errors: `application/problem+json` with the built-in gateway's codes.
 * - Analytics: one raw log line per request (`LOG_PREFIX|…`) into a ring buffer that HAProxy
 *   forwards over TCP to the agent's loopback port, many lines per write.
 */

export interface HaproxyCompileOptions {
  /** Where HAProxy listens for API traffic. */
  bind: { host: string; port: number };
  /** Absolute path of the admin socket (runtime map updates, statistics). */
  adminSocket: string;
  /** `host:port` of the agent's TCP log socket; null logs nothing. */
  logTarget: string | null;
  /** Entries of the verified-token cache. */
  tokenCacheSize?: number;
  /** For API keys past their expiry (left out). */
  now?: Date;
}

/** Where a log line of this configuration starts. */
export const LOG_PREFIX = "meridian1";

export const MAP_FILES = {
  subscriptions: "maps/subscriptions.map",
  apiKeys: "maps/apikeys.map",
  revoked: "maps/revoked.map",
} as const;

export interface HaproxyCompiled {
  files: CompiledFiles;
  /** The map files' contents, which may change at run time without a reload. */
  maps: Record<keyof typeof MAP_FILES, string>;
  /** Operation labels (`GET /pets/{id}`) by API id and operation index, for the analytics log. */
  operations: Record<string, string[]>;
  /** What is served differently from the built-in gateway, said once per apply. */
  notes: string[];
}

const UNIT_SECONDS: Record<RateUnit, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };
const UNIT_PERIOD: Record<RateUnit, string> = { second: "1s", minute: "1m", hour: "1h", day: "1d" };
const UNIT_EXPIRE: Record<RateUnit, string> = { second: "10s", minute: "2m", hour: "2h", day: "2d" };
const UNITS: RateUnit[] = ["second", "minute", "hour", "day"];

/** Ids, kids and tiers that go into the configuration as they are. */
const SAFE_ID = /^[A-Za-z0-9_.:@-]{1,200}$/;

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

/**
 * What HAProxy cannot enforce in a snapshot: the control plane refuses these at plan time
 * (lib/connectors/agent), so a snapshot that reaches the agent should have none.
 */
export function haproxyRefusals(snapshot: Pick<Snapshot, "apis" | "tiers" | "subscriptions">): string[] {
  const usedTiers = new Set(snapshot.subscriptions.map((s) => s.tier));
  return haproxyRefusalsFor({
    tiers: snapshot.tiers.filter((t) => usedTiers.has(t.name)),
    operations: snapshot.apis.flatMap((api) =>
      api.operations.map((op) => ({ label: `${api.context}/${api.version} ${op.method} ${op.path}`, rateLimit: op.rateLimit })),
    ),
  }).map((r) => r.reason);
}

/** A string as one HAProxy configuration word: single quotes (no escapes, no `$` expansion). */
export function word(value: string): string {
  if (/^[A-Za-z0-9_./:@=+,-]+$/.test(value)) return value;
  if (value.includes("'") || /[\r\n]/.test(value))
    throw new CompileError(`Cannot write ${JSON.stringify(value)} into the HAProxy configuration.`);
  return `'${value}'`;
}

/** Characters outside a small safe set as `\xHH` (UTF-8 bytes percent-encoded first, as HAProxy sees paths). */
function regexEscape(literal: string): string {
  let out = "";
  for (const ch of literal) {
    if (/[A-Za-z0-9/_~-]/.test(ch)) out += ch;
    else if (ch.charCodeAt(0) < 0x80) out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
    else for (const byte of Buffer.from(ch, "utf8")) out += `\\x25${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** An operation's path template as an anchored regular expression on the path after the base. */
export function templateRegex(template: string): string {
  const segments = template.split("/").slice(1);
  const parts = segments.map((segment, i) => {
    if (segment === "*" && i === segments.length - 1) return "(/.*)?";
    let re = "";
    let rest = segment;
    while (rest.length) {
      const open = rest.indexOf("{");
      const close = open >= 0 ? rest.indexOf("}", open) : -1;
      if (open < 0 || close < 0) {
        re += regexEscape(rest);
        break;
      }
      re += regexEscape(rest.slice(0, open)) + "[^/]+";
      rest = rest.slice(close + 1);
    }
    return `/${re}`;
  });
  if (parts.length && parts[parts.length - 1] === "(/.*)?") return `^${parts.slice(0, -1).join("")}(/.*)?$`;
  // `/` matches the base itself, with or without the slash.
  if (template === "/") return "^/?$";
  return `^${parts.join("")}/?$`;
}

/** Literal segments first, then templated ones, wildcards last: the most specific operation wins. */
function specificity(op: SnapshotOperation): number[] {
  const segments = op.path.split("/").slice(1);
  const wildcard = segments[segments.length - 1] === "*" ? 1 : 0;
  const literal = segments.filter((s) => !s.includes("{") && s !== "*").length;
  return [wildcard, -literal, -segments.length];
}

function problem(status: number, code: string, detail: string): string {
  if (detail.includes("'")) throw new CompileError("A problem detail cannot hold a single quote.");
  return JSON.stringify({ type: "about:blank", title: REASONS[status] ?? "Error", status, code, detail });
}

function pem(jwk: Snapshot["jwks"]["keys"][number]): string {
  return createPublicKey({ key: jwk as never, format: "jwk" })
    .export({ type: "spki", format: "pem" })
    .toString();
}

function hostOf(url: URL): { host: string; port: number; tls: boolean; basePath: string; hostHeader: string } {
  const tls = url.protocol === "https:";
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const basePath = url.pathname.replace(/\/+$/, "");
  return { host, port, tls, basePath, hostHeader: url.host };
}

function securityBits(security: Security, open: boolean | undefined): number {
  if (open) return 0;
  return (security.includes("oauth2") ? 1 : 0) | (security.includes("apiKey") ? 2 : 0);
}

export function compileHaproxy(snapshot: Snapshot, options: HaproxyCompileOptions): HaproxyCompiled {
  const refusals = haproxyRefusals(snapshot);
  if (refusals.length) throw new CompileError(refusals.join(" "));
  const now = (options.now ?? new Date()).getTime();
  const notes: string[] = [];
  const files: CompiledFiles = {};
  const lines: string[] = [];
  const add = (...l: string[]) => lines.push(...l);

  for (const api of snapshot.apis)
    if (!SAFE_ID.test(api.id)) throw new CompileError(`API id ${JSON.stringify(api.id)} cannot be used in HAProxy.`);
  const tierIndex = new Map(snapshot.tiers.map((t, i) => [t.name, i]));

  // Keys: one PEM per key, named by position; the kid is compared as a string.
  const keys = snapshot.jwks.keys.filter((k) => {
    if (SAFE_ID.test(k.kid)) return true;
    notes.push(`Key ${JSON.stringify(k.kid)} is left out: its kid cannot be written into the configuration.`);
    return false;
  });
  keys.forEach((k, i) => (files[`keys/key-${i}.pem`] = pem(k)));

  // Maps.
  const subscriptions = snapshot.subscriptions
    .filter((s) => SAFE_ID.test(s.applicationId) && SAFE_ID.test(s.apiId))
    .map((s) => `${s.applicationId}|${s.apiId} ${s.status === "active" ? `t${tierIndex.get(s.tier)}` : s.status}`);
  const apiKeys = snapshot.apiKeys
    .filter((k) => SAFE_ID.test(k.applicationId) && !(k.expiresAt && Date.parse(k.expiresAt) <= now))
    .map((k) => `${k.hash} ${k.applicationId}|${k.keyType}`);
  const revoked = snapshot.revokedTokenIds.filter((r) => /^[\x21-\x7e]{1,200}$/.test(r.jti)).map((r) => `${r.jti} 1`);
  const maps = {
    subscriptions: subscriptions.sort().join("\n") + "\n",
    apiKeys: apiKeys.sort().join("\n") + "\n",
    revoked: revoked.sort().join("\n") + "\n",
  };
  files[MAP_FILES.subscriptions] = maps.subscriptions;
  files[MAP_FILES.apiKeys] = maps.apiKeys;
  files[MAP_FILES.revoked] = maps.revoked;

  add(
    "# Written by Meridian's HAProxy agent from the snapshot of environment " +
      snapshot.environment.name +
      ". Do not edit: the next change replaces it.",
    "global",
    "  default-path config",
    `  stats socket ${word(options.adminSocket)} mode 600 level admin expose-fd listeners`,
    "  tune.bufsize 32768",
    ...(options.logTarget ? ["  log ring@meridian_log local0 info"] : []),
    "",
    "defaults",
    "  mode http",
    "  timeout connect 5s",
    "  timeout client 60s",
    "  timeout server 30s",
    "  timeout http-request 60s",
    "  timeout http-keep-alive 60s",
    ...(options.logTarget ? ["  log global"] : []),
    "",
    // Log lines wait in memory and go to the agent in batches over one TCP connection: no system call per request.
    ...(options.logTarget
      ? [
          "ring meridian_log",
          "  format raw",
          "  maxlen 8192",
          "  size 8388608",
          "  timeout connect 2s",
          "  timeout server 30s",
          `  server agent ${options.logTarget}`,
          "",
        ]
      : []),
    "# Verified tokens by SHA-256; gpt0 is the token's exp.",
    "backend st_jwt",
    `  stick-table type binary len 32 size ${options.tokenCacheSize ?? 100_000} expire 1h store gpt0`,
    "",
  );
  for (const unit of UNITS) {
    add(
      `backend st_rate_${unit}`,
      `  stick-table type string len 220 size 200k expire ${UNIT_EXPIRE[unit]} store http_req_rate(${UNIT_PERIOD[unit]})`,
      "",
    );
  }

  const refuse = (status: number, code: string, detail: string, cond: string, headers: Record<string, string> = {}) => {
    const hdrs = Object.entries({ "cache-control": "no-store", ...headers })
      .map(([k, v]) => ` hdr ${k} ${word(v)}`)
      .join("");
    add(
      `  http-request set-var(txn.err) str(${code}) ${cond}`,
      `  http-request return status ${status} content-type application/problem+json string ${word(problem(status, code, detail))}${hdrs} ${cond}`,
    );
  };

  add("frontend meridian", `  bind ${options.bind.host}:${options.bind.port}`, "  option http-buffer-request");
  if (options.logTarget) {
    // One line per request: prefix|seconds|ms|api|operation index|application|key type|method|status|total ms|upstream ms|bytes in|bytes out|error|path
    add(
      `  log-format "${LOG_PREFIX}|%Ts|%ms|%[var(txn.api)]|%[var(txn.op)]|%[var(txn.app)]|%[var(txn.keytype)]|%HM|%ST|%Ta|%Tr|%U|%B|%[var(txn.err)]|%[var(txn.path)]"`,
    );
  }
  add(
    "  http-request set-var(txn.path) path",
    `  http-request return status 200 content-type application/json string '{"status":"ok"}' if { path ${RESERVED_PATH_PREFIX}/health }`,
    "  http-request set-var(txn.now) date",
  );

  // Routes: versioned base paths first (longest contexts first), then default versions.
  const byLength = (a: SnapshotApi, b: SnapshotApi) => b.context.split("/").length - a.context.split("/").length;
  const bases: Array<{ api: SnapshotApi; index: number; base: string }> = [];
  const indexed = snapshot.apis.map((api, index) => ({ api, index }));
  for (const { api, index } of [...indexed].sort((a, b) => byLength(a.api, b.api)))
    bases.push({ api, index, base: `${api.context}/${api.version}` });
  for (const { api, index } of [...indexed].sort((a, b) => byLength(a.api, b.api)))
    if (api.isDefaultVersion) bases.push({ api, index, base: api.context });
  for (const { api, index, base } of bases) {
    void api;
    // A plain base path is compared as a prefix (cheaper than a regular expression per request).
    const match = /^[A-Za-z0-9/._~-]+$/.test(base) ? `{ path,concat(/) -m beg ${base}/ }` : `{ path_reg ^${regexEscape(base)}(/|$) }`;
    // The rest of the path after the base, whose raw length (non-ASCII characters percent-encoded) is known.
    const rawLength = [...base].reduce((n, ch) => n + (ch.charCodeAt(0) < 0x80 ? 1 : 3 * Buffer.byteLength(ch, "utf8")), 0);
    const rest = `path,bytes(${rawLength})`;
    add(
      `  http-request set-var(txn.rest) ${rest} if !{ var(txn.apix) -m found } ${match}`,
      `  http-request set-var(txn.apix) int(${index}) if !{ var(txn.apix) -m found } ${match}`,
    );
  }
  refuse(404, "route_not_found", "No API is deployed at this path.", "if !{ var(txn.apix) -m found }");
  add("  http-request set-var(txn.rest) str(/) if { var(txn.rest) -m len 0 }");

  const operations: Record<string, string[]> = {};
  snapshot.apis.forEach((api, i) => {
    const when = `{ var(txn.apix) -m int ${i} }`;
    add(`  # ${api.name} ${api.version}`, `  http-request set-var(txn.api) str(${api.id}) if ${when}`);
    operations[api.id] = api.operations.map((op) => `${op.method} ${op.path}`);
    const ordered = api.operations
      .map((op, j) => ({ op, j }))
      .sort((a, b) => {
        const x = specificity(a.op);
        const y = specificity(b.op);
        return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
      });
    // CORS: preflights are answered before authentication.
    if (api.cors?.enabled) corsRules(api.cors, when, add);
    if (api.lifecycleState === "BLOCKED") refuse(503, "api_blocked", "This API is blocked.", `if ${when}`);
    for (const { op, j } of ordered) {
      const re = templateRegex(op.path);
      add(`  http-request set-var(txn.pathok) bool(1) if ${when} { var(txn.rest) -m reg ${re} }`);
      add(
        `  http-request set-var(txn.op) int(${j}) if ${when} !{ var(txn.op) -m found } { method ${op.method} } { var(txn.rest) -m reg ${re} }`,
      );
      const bits = securityBits(op.security ?? api.security, op.open);
      add(`  http-request set-var(txn.sec) int(${bits}) if ${when} { var(txn.op) -m int ${j} } !{ var(txn.sec) -m found }`);
    }
  });
  refuse(
    405,
    "method_not_allowed",
    "This API has no operation for this method here.",
    "if !{ var(txn.op) -m found } { var(txn.pathok) -m found }",
  );
  refuse(404, "operation_not_found", "This API has no operation at this path.", "if !{ var(txn.op) -m found }");

  // Credentials: a bearer token where OAuth2 is accepted, else an API key where keys are.
  add(
    "  acl needs_auth var(txn.sec) -m int 1 2 3",
    "  acl oauth_ok var(txn.sec) -m int 1 3",
    "  acl key_ok var(txn.sec) -m int 2 3",
    "  http-request set-var(txn.bearer) http_auth_bearer if needs_auth oauth_ok",
    "  acl has_bearer var(txn.bearer) -m len gt 0",
    "  http-request set-var(txn.apikey) req.hdr(apikey) if needs_auth key_ok !has_bearer",
    "  http-request set-var(txn.apikey) req.hdr(x-api-key) if needs_auth key_ok !has_bearer !{ var(txn.apikey) -m len gt 0 }",
    "  acl has_key var(txn.apikey) -m len gt 0",
  );
  refuse(401, "missing_credentials", "This operation needs an access token or an API key.", "if needs_auth !has_bearer !has_key", {
    "www-authenticate": "Bearer",
  });

  // Tokens: revocations first, then the cache of verified tokens, then the signature and claims.
  const challenge = { "www-authenticate": 'Bearer error="invalid_token"' };
  add(
    // The payload is decoded once; its claims are read from the JSON (the signature is checked below, unless cached).
    "  http-request set-var(txn.claims) var(txn.bearer),field(2,.),ub64dec if has_bearer",
    "  http-request set-var(txn.jti) var(txn.claims),json_query('$.jti') if has_bearer",
    `  http-request set-var(txn.revoked) var(txn.jti),map(${MAP_FILES.revoked}) if has_bearer { var(txn.jti) -m found }`,
  );
  refuse(401, "token_revoked", "The access token has been revoked.", "if has_bearer { var(txn.revoked) -m found }", challenge);
  add(
    "  http-request track-sc1 var(txn.bearer),sha2(256) table st_jwt if has_bearer",
    "  acl jwt_cached sc1_get_gpt0(st_jwt),sub(txn.now) gt 0",
    "  http-request set-var(txn.exp) var(txn.claims),json_query('$.exp','int') if has_bearer",
    "  acl jwt_live var(txn.exp),sub(txn.now) gt 0",
  );
  refuse(401, "token_expired", "The access token has expired.", "if has_bearer !jwt_cached { var(txn.exp) -m found } !jwt_live", challenge);
  add(
    "  http-request set-var(txn.kid) var(txn.bearer),jwt_header_query('$.kid') if has_bearer !jwt_cached",
    "  http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('$.alg') if has_bearer !jwt_cached",
  );
  keys.forEach((k, i) => {
    add(
      `  http-request set-var(txn.sig) var(txn.bearer),jwt_verify(${k.alg},keys/key-${i}.pem) if has_bearer !jwt_cached { var(txn.kid) -m str ${k.kid} } { var(txn.alg) -m str ${k.alg} }`,
    );
  });
  refuse(
    401,
    "unknown_key",
    "The access token was signed by an unknown key.",
    "if has_bearer !jwt_cached !{ var(txn.sig) -m found }",
    challenge,
  );
  add(
    "  http-request set-var(txn.iss) var(txn.claims),json_query('$.iss') if has_bearer !jwt_cached",
    "  http-request set-var(txn.aud) var(txn.claims),json_query('$.aud') if has_bearer !jwt_cached",
    "  http-request set-var(txn.nbf) var(txn.claims),json_query('$.nbf','int') if has_bearer !jwt_cached",
    `  acl jwt_claims_ok var(txn.iss) -m str ${word(snapshot.issuer)}`,
    `  acl jwt_aud_ok var(txn.aud) -m str ${word(snapshot.audience)}`,
    "  acl jwt_nbf_future var(txn.nbf),sub(txn.now) gt 60",
  );
  refuse(401, "invalid_token", "The access token is not valid.", "if has_bearer !jwt_cached !{ var(txn.sig) -m int 1 }", challenge);
  refuse(
    401,
    "invalid_token",
    "The iss or aud claim of the access token is not acceptable.",
    "if has_bearer !jwt_cached !jwt_claims_ok or has_bearer !jwt_cached !jwt_aud_ok",
    challenge,
  );
  refuse(401, "invalid_token", "The access token is not valid yet.", "if has_bearer !jwt_cached jwt_nbf_future", challenge);
  add(
    "  http-request set-var(txn.app) var(txn.claims),json_query('$.sub') if has_bearer",
    "  http-request set-var(txn.keytype) var(txn.claims),json_query('$.keytype') if has_bearer",
    "  acl keytype_ok var(txn.keytype) -m str production sandbox",
  );
  refuse(
    401,
    "invalid_token",
    "The access token lacks sub, jti or a valid keytype claim.",
    "if has_bearer !keytype_ok or has_bearer !{ var(txn.app) -m len gt 0 } or has_bearer !{ var(txn.jti) -m len gt 0 }",
    challenge,
  );
  add("  http-request sc-set-gpt0(1) var(txn.exp) if has_bearer !jwt_cached");

  // API keys.
  add(`  http-request set-var(txn.keyinfo) var(txn.apikey),sha2(256),hex,lower,map(${MAP_FILES.apiKeys}) if has_key !has_bearer`);
  refuse(401, "invalid_api_key", "The API key is not valid.", "if has_key !has_bearer !{ var(txn.keyinfo) -m found }");
  add(
    "  http-request set-var(txn.app) var(txn.keyinfo),field(1,|) if has_key !has_bearer",
    "  http-request set-var(txn.keytype) var(txn.keyinfo),field(2,|) if has_key !has_bearer",
  );

  // Subscriptions.
  add(
    "  acl has_app var(txn.app) -m len gt 0",
    "  http-request set-var(txn.subkey) var(txn.app),concat(|,txn.api,) if needs_auth has_app",
    `  http-request set-var(txn.sub) var(txn.subkey),map(${MAP_FILES.subscriptions}) if needs_auth has_app`,
  );
  refuse(403, "subscription_required", "The application is not subscribed to this API.", "if needs_auth !{ var(txn.sub) -m found }");
  refuse(403, "subscription_blocked", "The subscription to this API is blocked.", "if needs_auth { var(txn.sub) -m str blocked }");
  refuse(403, "subscription_pending", "The subscription to this API awaits approval.", "if needs_auth { var(txn.sub) -m str pending }");

  // Scopes and sandboxes, per operation and API.
  snapshot.apis.forEach((api, i) => {
    const when = `{ var(txn.apix) -m int ${i} }`;
    api.operations.forEach((op, j) => {
      if (!op.scopes?.length || op.open) return;
      const needed = op.scopes.join(" ");
      const missing = op.scopes.map((s) => `!{ var(txn.scope) -m reg (^|\\x20)${regexEscape(s)}(\\x20|$) }`);
      add(`  http-request set-var(txn.scope) var(txn.claims),json_query('$.scope') if ${when} { var(txn.op) -m int ${j} } has_bearer`);
      const conditions = missing.map((m) => `${when} { var(txn.op) -m int ${j} } needs_auth ${m}`).join(" or ");
      refuse(403, "insufficient_scope", `This operation needs an access token with the scopes ${needed}.`, `if ${conditions}`, {
        "www-authenticate": `Bearer error="insufficient_scope", scope="${needed}"`,
      });
    });
    if (!api.upstream.sandbox)
      refuse(
        403,
        "sandbox_not_available",
        "This API has no sandbox endpoint.",
        `if ${when} needs_auth { var(txn.keytype) -m str sandbox }`,
      );
  });

  // Tiers: application × API, counted in the table of the tier's unit (sc0).
  snapshot.tiers.forEach((tier, k) => {
    if (tier.unlimited) return;
    if (tier.burst !== tier.requests)
      notes.push(
        `Tier ${tier.name}: HAProxy counts ${tier.requests} per ${tier.unit} in a sliding window; the burst of ${tier.burst} is not applied separately.`,
      );
    const table = `st_rate_${tier.unit}`;
    const when = `{ var(txn.sub) -m str t${k} }`;
    add(`  http-request track-sc0 var(txn.subkey) table ${table} if needs_auth ${when}`);
    refuse(
      429,
      "rate_limited",
      "Too many requests; retry after the time in Retry-After.",
      `if needs_auth ${when} { sc0_http_req_rate(${table}) gt ${tier.requests} }`,
      {
        "retry-after": String(UNIT_SECONDS[tier.unit]),
      },
    );
  });
  // API limits: every call to the API, whoever makes it (sc2).
  snapshot.apis.forEach((api, i) => {
    if (!api.rateLimit) return;
    apiLimit(api.rateLimit, `{ var(txn.apix) -m int ${i} }`, api.id);
  });
  function apiLimit(limit: RateLimit, when: string, key: string) {
    const table = `st_rate_${limit.unit}`;
    add(`  http-request track-sc2 str(api:${key}) table ${table} if ${when}`);
    refuse(
      429,
      "rate_limited",
      "Too many requests; retry after the time in Retry-After.",
      `if ${when} { sc2_http_req_rate(${table}) gt ${limit.requests} }`,
      {
        "retry-after": String(UNIT_SECONDS[limit.unit]),
      },
    );
  }
  if (Object.keys(snapshot.applicationPolicies).length)
    notes.push("Application policies (a limit over all of an application's APIs) are not enforced by the HAProxy agent.");

  // Credentials never travel upstream.
  add(
    "  http-request del-header apikey if has_key !has_bearer",
    "  http-request del-header x-api-key if has_key !has_bearer",
    "  http-request del-header authorization if has_bearer",
  );
  snapshot.apis.forEach((api, i) => {
    const when = `{ var(txn.apix) -m int ${i} }`;
    if (api.upstream.sandbox) add(`  use_backend api_${i}_sandbox if ${when} { var(txn.keytype) -m str sandbox }`);
    add(`  use_backend api_${i}_production if ${when}`);
  });
  add("");

  snapshot.apis.forEach((api, i) => {
    for (const [kind, url] of [
      ["production", api.upstream.production],
      ["sandbox", api.upstream.sandbox],
    ] as const) {
      if (!url) continue;
      const u = hostOf(new URL(url));
      add(
        `backend api_${i}_${kind}`,
        `  http-request set-path ${word(`${u.basePath}%[var(txn.rest)]`)}`,
        `  http-request set-header host ${word(u.hostHeader)}`,
        ...(api.upstream.timeoutMs ? [`  timeout server ${api.upstream.timeoutMs}ms`] : []),
        `  server upstream ${u.host.includes(":") ? `[${u.host}]` : u.host}:${u.port} init-addr last,libc,none${u.tls ? ` ssl verify required ca-file @system-ca sni str(${word(u.host)})` : ""}`,
        "",
      );
    }
  });
  files["haproxy.cfg"] = lines.join("\n") + "\n";
  return { files, maps, operations, notes };
}

function corsRules(cors: Cors, when: string, add: (...l: string[]) => void): void {
  const any = cors.origins.includes("*");
  const listed = cors.origins.filter((o) => o !== "*" && /^[\x21-\x7e]+$/.test(o) && !o.includes("'"));
  const originAcl = listed.length ? `{ req.hdr(origin) -m str ${listed.map(word).join(" ")} }` : null;
  // The allowed origin, echoed (or `*` for any origin without credentials).
  if (originAcl) add(`  http-request set-var(txn.cors) req.hdr(origin) if ${when} ${originAcl}`);
  if (any)
    add(
      `  http-request set-var(txn.cors) ${cors.credentials ? "req.hdr(origin)" : "str(*)"} if ${when} { req.hdr(origin) -m found } !{ var(txn.cors) -m found }`,
    );
  const headers: string[] = [`hdr access-control-allow-methods ${word(cors.methods.join(", "))}`];
  if (cors.headers.length) headers.push(`hdr access-control-allow-headers ${word(cors.headers.join(", "))}`);
  if (cors.credentials) headers.push("hdr access-control-allow-credentials true");
  headers.push(`hdr access-control-max-age ${cors.maxAge}`);
  add(
    `  http-request return status 204 hdr access-control-allow-origin %[var(txn.cors)] ${headers.join(" ")} hdr vary ${word("Origin, Access-Control-Request-Method, Access-Control-Request-Headers")} if ${when} METH_OPTIONS { req.hdr(access-control-request-method) -m found } { var(txn.cors) -m found }`,
    `  http-after-response set-header access-control-allow-origin %[var(txn.cors)] if ${when} { var(txn.cors) -m found }`,
    `  http-after-response set-header access-control-expose-headers ${word("retry-after")} if ${when} { var(txn.cors) -m found }`,
    ...(cors.credentials
      ? [`  http-after-response set-header access-control-allow-credentials true if ${when} { var(txn.cors) -m found }`]
      : []),
    `  http-after-response add-header vary Origin if ${when}`,
  );
}
