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
 *   with the token), and revoked ids (`maps/revoked.map`) are checked before the cache. Each
 *   connection also remembers the last token that passed, with its claims (`sess.*`): the next
 *   request with the very same token, before its `exp` and while its `jti` is not revoked, is
 *   neither decoded nor hashed again.
 * - Request rules are few and cheap on the way of a request that passes: a refusal is one rule
 *   (its condition sets `txn.err` for the log as its last term), and matches keep what later
 *   rules need as side effects. HAProxy evaluates the condition of every rule whose turn comes,
 *   so the checks of a new token or an API key are not in the frontend: each API has two
 *   backends, `api_<i>` for a request that passed on its connection's token (or needs no
 *   credentials) and `api_<i>_auth` for any other, whose shared rules come from the named
 *   defaults sections `api_fast` and `api_auth` (HAProxy runs a defaults section's rules before
 *   the backend's own). A sandbox key reaches the API's `sandbox` server only (weight 0).
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
  /** HAProxy's threads (`nbthread`); HAProxy's own default (one per CPU) when absent. */
  threads?: number;
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

/** Words of one configuration line HAProxy reads at most. */
const MAX_WORDS = 64;

/** Words of a configuration line as HAProxy splits it (single-quoted words whole). */
function wordCount(line: string): number {
  return line
    .replace(/'[^']*'/g, "q")
    .trim()
    .split(/\s+/).length;
}

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
  // Sections in the order they are written: global settings and tables, the frontend, then the
  // rules every API backend shares (`auth` only in the backends that check credentials).
  const lines: string[] = [];
  const front: string[] = [];
  const auth: string[] = [];
  const tail: string[] = [];
  let section = lines;
  const add = (...l: string[]) => section.push(...l);

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
    ...(options.threads ? [`  nbthread ${Math.max(1, Math.floor(options.threads))}`] : []),
    "  tune.bufsize 32768",
    ...(options.logTarget ? ["  log ring@meridian_log len 8192 local0 info"] : []),
    "",
    "defaults base",
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
    "backend st_jwt from base",
    `  stick-table type binary len 32 size ${options.tokenCacheSize ?? 100_000} expire 1h store gpt0`,
    "",
  );
  for (const unit of UNITS) {
    add(
      `backend st_rate_${unit} from base`,
      `  stick-table type string len 220 size 200k expire ${UNIT_EXPIRE[unit]} store http_req_rate(${UNIT_PERIOD[unit]})`,
      "",
    );
  }

  /**
   * One refusal, one rule: `branches` are alternative conditions (ANDed terms each); the last
   * term of every branch sets `txn.err` for the log, and is only reached when the branch holds.
   * Branches that do not fit in one line of HAProxy's (64 words) go into further rules.
   */
  const refuse = (status: number, code: string, detail: string, branches: string | string[], headers: Record<string, string> = {}) => {
    const hdrs = Object.entries({ "cache-control": "no-store", ...headers })
      .map(([k, v]) => ` hdr ${k} ${word(v)}`)
      .join("");
    const setErr = `{ str(${code}),set-var(txn.err) -m found }`;
    const head = `  http-request return status ${status} content-type application/problem+json string ${word(problem(status, code, detail))}${hdrs} if`;
    let line: string[] = [];
    let words = wordCount(head);
    const flush = () => {
      if (line.length) add(`${head} ${line.join(" or ")}`);
      line = [];
      words = wordCount(head);
    };
    for (const branch of Array.isArray(branches) ? branches : [branches]) {
      const b = `${branch} ${setErr}`;
      const n = wordCount(b) + (line.length ? 1 : 0);
      if (line.length && words + n > MAX_WORDS) flush();
      line.push(b);
      words += wordCount(b) + (line.length > 1 ? 1 : 0);
    }
    flush();
  };

  section = front;
  add("frontend meridian from base", `  bind ${options.bind.host}:${options.bind.port}`, "  option http-buffer-request");
  if (options.logTarget) {
    // One line per request: prefix|seconds|ms|api|operation index|application|key type|method|status|total ms|upstream ms|bytes in|bytes out|error|path
    add(
      `  log-format "${LOG_PREFIX}|%Ts|%ms|%[var(txn.api)]|%[var(txn.op)]|%[var(txn.app)]|%[var(txn.keytype)]|%HM|%ST|%Ta|%Tr|%U|%B|%[var(txn.err)]|%[var(txn.path)]"`,
      // The whole path (HAProxy's own capture, %HPO, stops at tune.http.logurilen).
      "  http-request set-var(txn.path) path",
    );
  }

  // Routes: versioned base paths first (longest contexts first), then default versions. The
  // matching rule also keeps the rest of the path and the API's id (terms with a side effect,
  // reached only when the path matched).
  const byLength = (a: SnapshotApi, b: SnapshotApi) => b.context.split("/").length - a.context.split("/").length;
  const bases: Array<{ api: SnapshotApi; index: number; base: string }> = [];
  const indexed = snapshot.apis.map((api, index) => ({ api, index }));
  for (const { api, index } of [...indexed].sort((a, b) => byLength(a.api, b.api)))
    bases.push({ api, index, base: `${api.context}/${api.version}` });
  for (const { api, index } of [...indexed].sort((a, b) => byLength(a.api, b.api)))
    if (api.isDefaultVersion) bases.push({ api, index, base: api.context });
  for (const { api, index, base } of bases) {
    // A plain base path is compared as a prefix (cheaper than a regular expression per request).
    const match = /^[A-Za-z0-9/._~-]+$/.test(base) ? `{ path,concat(/) -m beg ${base}/ }` : `{ path_reg ^${regexEscape(base)}(/|$) }`;
    // The rest of the path after the base, whose raw length (non-ASCII characters percent-encoded) is known.
    const rawLength = [...base].reduce((n, ch) => n + (ch.charCodeAt(0) < 0x80 ? 1 : 3 * Buffer.byteLength(ch, "utf8")), 0);
    add(
      `  http-request set-var(txn.apix) int(${index}) if !{ var(txn.apix) -m found } ${match} { path,bytes(${rawLength}),set-var(txn.rest) -m found } { str(${api.id}),set-var(txn.api) -m found }`,
    );
  }
  // No API is deployed under the reserved prefix, so a request that matched one is not asking for this.
  add(
    `  http-request return status 200 content-type application/json string '{"status":"ok"}' if !{ var(txn.apix) -m found } { path ${RESERVED_PATH_PREFIX}/health }`,
  );
  refuse(404, "route_not_found", "No API is deployed at this path.", "!{ var(txn.apix) -m found }");
  add("  http-request set-var(txn.rest) str(/) if { var(txn.rest) -m len 0 }");

  // Operations: one rule each, most specific first; it also sets the operation's credentials
  // (txn.sec: 1 token, 2 API key, 3 either, 0 none).
  const operations: Record<string, string[]> = {};
  const methodMisses: string[] = [];
  snapshot.apis.forEach((api, i) => {
    const when = `{ var(txn.apix) -m int ${i} }`;
    add(`  # ${api.name} ${api.version}`);
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
    if (api.lifecycleState === "BLOCKED") refuse(503, "api_blocked", "This API is blocked.", when);
    for (const { op, j } of ordered) {
      const bits = securityBits(op.security ?? api.security, op.open);
      add(
        `  http-request set-var(txn.op) int(${j}) if ${when} !{ var(txn.op) -m found } { method ${op.method} } { var(txn.rest) -m reg ${templateRegex(op.path)} } { int(${bits}),set-var(txn.sec) -m found }`,
      );
    }
    // The path of another operation: 405 rather than 404.
    const templates = [...new Set(api.operations.map((op) => templateRegex(op.path)))];
    for (let t = 0; t < templates.length; t += 20)
      methodMisses.push(`!{ var(txn.op) -m found } ${when} { var(txn.rest) -m reg ${templates.slice(t, t + 20).join(" ")} }`);
  });
  if (methodMisses.length) refuse(405, "method_not_allowed", "This API has no operation for this method here.", methodMisses);
  refuse(404, "operation_not_found", "This API has no operation at this path.", "!{ var(txn.op) -m found }");

  // Credentials (txn.cred): 1 a token verified before on this connection, 2 a token to check,
  // 4 a token whose check is remembered in st_jwt, 3 an API key. A bearer token where OAuth2 is
  // accepted, else an API key where keys are.
  //
  // A connection remembers the last token that passed every check, with what later rules need
  // (sess.*): the next request with the very same token (whole-string comparison) before its
  // exp, whose jti is not revoked, takes them without decoding or hashing anything. A token
  // that fails leaves the connection's memory as it was; one that passes replaces it, the token
  // itself written last.
  //
  // That check is the frontend's last rule: a request it passes, or one that needs no
  // credentials, goes to the API's backend `api_<i>`, whose rules are the shared checks after
  // authentication (subscription, scopes, tiers); any other goes to `api_<i>_auth`, whose rules
  // check its credentials first. A request that passes on a connection's token therefore never
  // evaluates the checks of a new token (HAProxy runs every rule whose turn comes, so rules that
  // are skipped still cost their condition).
  const cred = (...n: number[]) => `{ var(txn.cred) -m int ${n.join(" ")} }`;
  add(
    `  http-request set-var(txn.cred) int(1) if { var(txn.sec) -m int 1 3 } { req.fhdr(authorization,1),strcmp(sess.bearer) eq 0 } { date,neg,add(sess.exp) gt 0 } !{ var(sess.jti),map(${MAP_FILES.revoked}) -m found } { var(sess.app),set-var(txn.app) -m found } { var(sess.keytype),set-var(txn.keytype) -m found }`,
    "  use_backend api_%[var(txn.apix)] if { var(txn.cred) -m found } or !{ var(txn.sec) -m int 1 2 3 }",
    "  use_backend api_%[var(txn.apix)]_auth",
    "",
  );
  section = auth;
  add(
    "  http-request set-var(txn.cred) int(2) if { var(txn.sec) -m int 1 3 } !{ var(txn.cred) -m found } { http_auth_bearer -m len gt 0 }",
    "  http-request set-var(txn.apikey) req.hdr(apikey) if { var(txn.sec) -m int 2 3 } !{ var(txn.cred) -m found }",
    "  http-request set-var(txn.apikey) req.hdr(x-api-key) if { var(txn.sec) -m int 2 3 } !{ var(txn.cred) -m found } !{ var(txn.apikey) -m len gt 0 }",
    "  http-request set-var(txn.cred) int(3) if { var(txn.apikey) -m len gt 0 }",
  );
  refuse(401, "missing_credentials", "This operation needs an access token or an API key.", "needs_auth !{ var(txn.cred) -m found }", {
    "www-authenticate": "Bearer",
  });

  // Tokens to check: revocations first, then the cache of verified tokens, then the signature and claims.
  const challenge = { "www-authenticate": 'Bearer error="invalid_token"' };
  add(
    // The payload is decoded once; its claims are read from the JSON (the signature is checked below, unless cached).
    `  http-request set-var(txn.jti) var(txn.claims),json_query('$.jti') if ${cred(2)} { http_auth_bearer,set-var(txn.bearer),field(2,.),ub64dec,set-var(txn.claims) -m found } { date,set-var(txn.now) -m found }`,
  );
  refuse(
    401,
    "token_revoked",
    "The access token has been revoked.",
    `${cred(2)} { var(txn.jti),map(${MAP_FILES.revoked}) -m found }`,
    challenge,
  );
  add(
    `  http-request track-sc1 var(txn.bearer),sha2(256) table st_jwt if ${cred(2)}`,
    // st_jwt's gpt0 is the token's exp: a remembered check ends with the token.
    `  http-request set-var(txn.cred) int(4) if ${cred(2)} { var(txn.claims),json_query('$.exp','int'),set-var(txn.exp) -m found } { sc1_get_gpt0(st_jwt),sub(txn.now) gt 0 }`,
  );
  refuse(
    401,
    "token_expired",
    "The access token has expired.",
    `${cred(2)} { var(txn.exp) -m found } !{ var(txn.exp),sub(txn.now) gt 0 }`,
    challenge,
  );
  add(
    `  http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('$.alg') if ${cred(2)} { var(txn.bearer),jwt_header_query('$.kid'),set-var(txn.kid) -m found }`,
  );
  keys.forEach((k, i) => {
    add(
      `  http-request set-var(txn.sig) var(txn.bearer),jwt_verify(${k.alg},keys/key-${i}.pem) if ${cred(2)} { var(txn.kid) -m str ${k.kid} } { var(txn.alg) -m str ${k.alg} }`,
    );
  });
  refuse(401, "unknown_key", "The access token was signed by an unknown key.", `${cred(2)} !{ var(txn.sig) -m found }`, challenge);
  refuse(401, "invalid_token", "The access token is not valid.", `${cred(2)} !{ var(txn.sig) -m int 1 }`, challenge);
  add(
    `  http-request set-var(txn.nbf) var(txn.claims),json_query('$.nbf','int') if ${cred(2)} { var(txn.claims),json_query('$.iss'),set-var(txn.iss) -m found } { var(txn.claims),json_query('$.aud'),set-var(txn.aud) -m found }`,
  );
  refuse(
    401,
    "invalid_token",
    "The iss or aud claim of the access token is not acceptable.",
    [`${cred(2)} !{ var(txn.iss) -m str ${word(snapshot.issuer)} }`, `${cred(2)} !{ var(txn.aud) -m str ${word(snapshot.audience)} }`],
    challenge,
  );
  refuse(401, "invalid_token", "The access token is not valid yet.", `${cred(2)} { var(txn.nbf),sub(txn.now) gt 60 }`, challenge);
  add(
    `  http-request set-var(txn.keytype) var(txn.claims),json_query('$.keytype') if ${cred(2, 4)} { var(txn.claims),json_query('$.sub'),set-var(txn.app) -m found }`,
  );
  refuse(
    401,
    "invalid_token",
    "The access token lacks sub, jti or a valid keytype claim.",
    [
      `${cred(2, 4)} !{ var(txn.keytype) -m str production sandbox }`,
      `${cred(2, 4)} !{ var(txn.app) -m len gt 0 }`,
      `${cred(2, 4)} !{ var(txn.jti) -m len gt 0 }`,
    ],
    challenge,
  );
  const scoped = snapshot.apis.some((api) => api.operations.some((op) => op.scopes?.length && !op.open));
  add(
    `  http-request sc-set-gpt0(1) var(txn.exp) if ${cred(2)}`,
    // This connection now remembers this token (only one with an exp: the memory ends with it).
    `  http-request unset-var(sess.bearer) if ${cred(2, 4)}`,
    ...(scoped
      ? [
          `  http-request unset-var(sess.scope) if ${cred(2, 4)}`,
          `  http-request set-var(sess.scope) var(txn.claims),json_query('$.scope') if ${cred(2, 4)}`,
        ]
      : []),
    `  http-request set-var(sess.exp) var(txn.exp) if ${cred(2, 4)} { var(txn.app),set-var(sess.app) -m found } { var(txn.keytype),set-var(sess.keytype) -m found } { var(txn.jti),set-var(sess.jti) -m found }`,
    // The first Authorization header whole, as the token was read from it: comparing it needs no parsing.
    `  http-request set-var(sess.bearer) req.fhdr(authorization,1) if ${cred(2, 4)} { var(txn.exp) -m found }`,
  );

  // API keys.
  add(`  http-request set-var(txn.keyinfo) var(txn.apikey),sha2(256),hex,lower,map(${MAP_FILES.apiKeys}) if ${cred(3)}`);
  refuse(401, "invalid_api_key", "The API key is not valid.", `${cred(3)} !{ var(txn.keyinfo) -m found }`);
  add(
    `  http-request set-var(txn.keytype) var(txn.keyinfo),field(2,|) if ${cred(3)} { var(txn.keyinfo),field(1,|),set-var(txn.app) -m found }`,
    // API keys never travel upstream.
    `  http-request del-header apikey if ${cred(3)}`,
    `  http-request del-header x-api-key if ${cred(3)}`,
  );

  // Subscriptions, and every check after them: in both backends of every API. txn.sub and
  // txn.keytype are only ever set for a request that needs credentials.
  section = tail;
  add(`  http-request set-var(txn.sub) var(txn.app),concat(|,txn.api,),set-var(txn.subkey),map(${MAP_FILES.subscriptions}) if needs_auth`);
  refuse(403, "subscription_required", "The application is not subscribed to this API.", "needs_auth !{ var(txn.sub) -m found }");
  refuse(403, "subscription_blocked", "The subscription to this API is blocked.", "{ var(txn.sub) -m str blocked }");
  refuse(403, "subscription_pending", "The subscription to this API awaits approval.", "{ var(txn.sub) -m str pending }");

  // Scopes and sandboxes, per operation and API.
  const noSandbox: number[] = [];
  snapshot.apis.forEach((api, i) => {
    const when = `{ var(txn.apix) -m int ${i} }`;
    api.operations.forEach((op, j) => {
      if (!op.scopes?.length || op.open) return;
      const needed = op.scopes.join(" ");
      const missing = op.scopes.map((s) => `!{ var(txn.scope) -m reg (^|\\x20)${regexEscape(s)}(\\x20|$) }`);
      add(`  http-request set-var(txn.scope) var(sess.scope) if ${when} { var(txn.op) -m int ${j} } ${cred(1, 2, 4)}`);
      refuse(
        403,
        "insufficient_scope",
        `This operation needs an access token with the scopes ${needed}.`,
        missing.map((m) => `${when} { var(txn.op) -m int ${j} } needs_auth ${m}`),
        { "www-authenticate": `Bearer error="insufficient_scope", scope="${needed}"` },
      );
    });
    if (!api.upstream.sandbox) noSandbox.push(i);
  });
  if (noSandbox.length)
    refuse(
      403,
      "sandbox_not_available",
      "This API has no sandbox endpoint.",
      `{ var(txn.keytype) -m str sandbox } { var(txn.apix) -m int ${noSandbox.join(" ")} }`,
    );

  // Tiers: application × API, counted in the table of the tier's unit (sc0).
  snapshot.tiers.forEach((tier, k) => {
    if (tier.unlimited) return;
    if (tier.burst !== tier.requests)
      notes.push(
        `Tier ${tier.name}: HAProxy counts ${tier.requests} per ${tier.unit} in a sliding window; the burst of ${tier.burst} is not applied separately.`,
      );
    const table = `st_rate_${tier.unit}`;
    const when = `{ var(txn.sub) -m str t${k} }`;
    add(`  http-request track-sc0 var(txn.subkey) table ${table} if ${when}`);
    refuse(
      429,
      "rate_limited",
      "Too many requests; retry after the time in Retry-After.",
      `${when} { sc0_http_req_rate(${table}) gt ${tier.requests} }`,
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
      `${when} { sc2_http_req_rate(${table}) gt ${limit.requests} }`,
      {
        "retry-after": String(UNIT_SECONDS[limit.unit]),
      },
    );
  }
  if (Object.keys(snapshot.applicationPolicies).length)
    notes.push("Application policies (a limit over all of an application's APIs) are not enforced by the HAProxy agent.");

  // Tokens never travel upstream.
  add(`  http-request del-header authorization if ${cred(1, 2, 4)}`);

  // The shared rules, evaluated before each backend's own (HAProxy's named defaults with rules):
  // `api_fast` for requests that need no credentials or passed on the connection's token,
  // `api_auth` for all others. Their own `needs_auth` (a defaults section's ACLs are its own).
  const needsAuth = "  acl needs_auth var(txn.sec) -m int 1 2 3";
  lines.push(...front);
  lines.push("defaults api_fast from base", needsAuth, ...tail, "");
  lines.push("defaults api_auth from base", needsAuth, ...auth, ...tail, "");

  // One backend per API and way in: its upstreams as servers that only their rule chooses
  // (weight 0: a sandbox call never falls back to production, nor the reverse).
  snapshot.apis.forEach((api, i) => {
    const upstreams = (
      [
        ["production", api.upstream.production],
        ["sandbox", api.upstream.sandbox],
      ] as const
    ).flatMap(([kind, url]) => (url ? [{ kind, ...hostOf(new URL(url)) }] : []));
    const sandbox = "{ var(txn.keytype) -m str sandbox }";
    const when = (kind: string) => (upstreams.length === 1 ? "" : kind === "sandbox" ? ` if ${sandbox}` : ` unless ${sandbox}`);
    const same = upstreams.every((u) => u.basePath === upstreams[0].basePath && u.hostHeader === upstreams[0].hostHeader);
    const rules = upstreams.flatMap((u, k) =>
      same && k > 0
        ? []
        : [
            `  http-request set-path ${word(`${u.basePath}%[var(txn.rest)]`)}${same ? "" : when(u.kind)}`,
            `  http-request set-header host ${word(u.hostHeader)}${same ? "" : when(u.kind)}`,
          ],
    );
    const servers = upstreams.flatMap((u) => [
      ...(upstreams.length > 1 ? [`  use-server ${u.kind}${when(u.kind)}`] : []),
      `  server ${u.kind} ${u.host.includes(":") ? `[${u.host}]` : u.host}:${u.port} init-addr last,libc,none${upstreams.length > 1 ? " weight 0" : ""}${u.tls ? ` ssl verify required ca-file @system-ca sni str(${word(u.host)})` : ""}`,
    ]);
    for (const [name, from] of [
      [`api_${i}`, "api_fast"],
      [`api_${i}_auth`, "api_auth"],
    ])
      lines.push(
        `backend ${name} from ${from}`,
        ...rules,
        ...(api.upstream.timeoutMs ? [`  timeout server ${api.upstream.timeoutMs}ms`] : []),
        ...servers,
        "",
      );
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
