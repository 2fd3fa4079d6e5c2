import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { evaluate, type ExpressionContext } from "./expressions";
import type { ImportedOperation } from "./openapi";
import type { ApiEntity, EmulatorStore, SubscriptionEntity } from "./store";
import { parseXml, type XmlElement } from "./xml";

/**
 * The gateway of the emulated service: routes a call to a deployed API and operation, checks
 * the subscription key, runs the inbound policies it was given (cors, validate-jwt, choose,
 * rate-limit-by-key, quota-by-key) and proxies to the API's service URL.
 */

interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
  /** A return-response policy's own body, sent as is. */
  body?: string;
}

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function matchTemplate(template: string, path: string): boolean {
  const t = template.split("?")[0].split("/").filter(Boolean);
  const p = path.split("/").filter(Boolean);
  return (
    t.length === p.length && t.every((seg, i) => (/^\{[^}]+\}$/.test(seg) ? p[i].length > 0 : seg.toLowerCase() === p[i].toLowerCase()))
  );
}

function route(store: EmulatorStore, pathname: string): { api: ApiEntity; rest: string } | undefined {
  let best: { api: ApiEntity; rest: string; length: number } | undefined;
  for (const api of store.apis.values()) {
    if (!api.isCurrent) continue;
    const scheme = api.apiVersionSetId ? store.versionSets.get(api.apiVersionSetId)?.versioningScheme : undefined;
    const prefix = `/${[api.path, scheme === "Segment" ? api.apiVersion : undefined].filter(Boolean).join("/")}`.replace(/\/+$/, "");
    if (pathname.toLowerCase() !== prefix.toLowerCase() && !pathname.toLowerCase().startsWith(`${prefix.toLowerCase()}/`)) continue;
    if (!best || prefix.length > best.length) best = { api, rest: pathname.slice(prefix.length) || "/", length: prefix.length };
  }
  return best;
}

/** Inbound policies in force for an operation: its own, with <base/> standing for the API's. */
function inboundPolicies(store: EmulatorStore, api: ApiEntity, op: ImportedOperation | undefined): XmlElement[] {
  const section = (xml: string | undefined) => (xml ? parseXml(xml).children.find((c) => c.name === "inbound")?.children : undefined);
  const apiInbound = (section(store.apiPolicies.get(api.id)) ?? []).filter((p) => p.name !== "base");
  const opInbound = op ? section(store.operationPolicies.get(`${api.id}/${op.id}`)) : undefined;
  if (!opInbound) return apiInbound;
  return opInbound.flatMap((p) => (p.name === "base" ? apiInbound : [p]));
}

const list = (el: XmlElement | undefined, child: string) => (el?.children ?? []).filter((c) => c.name === child).map((c) => c.text.trim());

/**
 * validate-jwt's required-claims: each claim must be in the token; its values split by the
 * separator, when there is one; `match="all"` (the default) wants every listed value, `any` one.
 */
function hasRequiredClaims(required: XmlElement | undefined, payload: Record<string, unknown>): boolean {
  for (const claim of (required?.children ?? []).filter((c) => c.name === "claim")) {
    const raw = payload[claim.attrs.name];
    if (raw === undefined) return false;
    const separator = claim.attrs.separator;
    const present = (Array.isArray(raw) ? raw.map(String) : [String(raw)]).flatMap((v) => (separator ? v.split(separator) : [v]));
    const wanted = list(claim, "value");
    if (!wanted.length) continue;
    const ok = claim.attrs.match === "any" ? wanted.some((v) => present.includes(v)) : wanted.every((v) => present.includes(v));
    if (!ok) return false;
  }
  return true;
}

function corsHeaders(cors: XmlElement, origin: string | undefined): Record<string, string> | undefined {
  const allowedOrigins = list(
    cors.children.find((c) => c.name === "allowed-origins"),
    "origin",
  );
  if (!origin || !(allowedOrigins.includes("*") || allowedOrigins.includes(origin))) return undefined;
  const credentials = cors.attrs["allow-credentials"] === "true";
  return {
    "access-control-allow-origin": allowedOrigins.includes("*") && !credentials ? "*" : origin,
    ...(credentials ? { "access-control-allow-credentials": "true" } : {}),
    vary: "Origin",
  };
}

export interface DataPlane {
  handle(req: IncomingMessage, res: ServerResponse): void;
  reset(): void;
}

export function createDataPlane(store: EmulatorStore): DataPlane {
  const jwks = new Map<string, Promise<{ keys: JWTVerifyGetKey }>>();
  const windows = new Map<string, number[]>();
  const quotas = new Map<string, { start: number; count: number }>();

  const keySet = (configUrl: string) => {
    let found = jwks.get(configUrl);
    if (!found) {
      found = fetch(configUrl)
        .then((r) => {
          if (!r.ok) throw new Error(`openid-config ${configUrl} answered ${r.status}`);
          return r.json() as Promise<{ jwks_uri?: string }>;
        })
        .then((doc) => {
          if (!doc.jwks_uri) throw new Error(`openid-config ${configUrl} has no jwks_uri`);
          return { keys: createRemoteJWKSet(new URL(doc.jwks_uri)) };
        });
      // A failed fetch is retried on the next call rather than cached.
      found.catch(() => jwks.delete(configUrl));
      jwks.set(configUrl, found);
    }
    return found;
  };

  async function validateJwt(policy: XmlElement, req: IncomingMessage): Promise<void> {
    const fail = (): never => {
      throw new Refused({
        status: Number(policy.attrs["failed-validation-httpcode"] ?? 401),
        message: policy.attrs["failed-validation-error-message"] ?? "Invalid JWT.",
      });
    };
    const headerValue = req.headers[(policy.attrs["header-name"] ?? "Authorization").toLowerCase()];
    const raw = Array.isArray(headerValue) ? headerValue[0] : headerValue;
    if (!raw) return fail();
    const scheme = policy.attrs["require-scheme"];
    if (scheme && !raw.toLowerCase().startsWith(`${scheme.toLowerCase()} `)) return fail();
    const token = raw.replace(/^\S+\s+/, "");
    const issuers = list(
      policy.children.find((c) => c.name === "issuers"),
      "issuer",
    );
    const audiences = list(
      policy.children.find((c) => c.name === "audiences"),
      "audience",
    );
    for (const config of policy.children.filter((c) => c.name === "openid-config")) {
      let payload: Record<string, unknown>;
      try {
        const { keys } = await keySet(config.attrs.url);
        ({ payload } = await jwtVerify(token, keys, {
          ...(issuers.length ? { issuer: issuers } : {}),
          ...(audiences.length ? { audience: audiences } : {}),
        }));
      } catch {
        // Next configuration, if any.
        continue;
      }
      if (
        !hasRequiredClaims(
          policy.children.find((c) => c.name === "required-claims"),
          payload,
        )
      )
        fail();
      return;
    }
    fail();
  }

  function rateLimit(policy: XmlElement, ctx: ExpressionContext): void {
    const calls = Number(policy.attrs.calls);
    const periodMs = Number(policy.attrs["renewal-period"]) * 1000;
    // One counter per key value, shared by every scope where the policy is configured.
    const key = `rate|${String(evaluate(policy.attrs["counter-key"], ctx))}`;
    const now = Date.now();
    const hits = (windows.get(key) ?? []).filter((t) => t > now - periodMs);
    if (hits.length >= calls) {
      const retry = Math.max(1, Math.ceil((hits[0] + periodMs - now) / 1000));
      windows.set(key, hits);
      throw new Refused({
        status: 429,
        message: `Rate limit is exceeded. Try again in ${retry} seconds.`,
        headers: { "retry-after": String(retry) },
      });
    }
    hits.push(now);
    windows.set(key, hits);
  }

  function quota(policy: XmlElement, ctx: ExpressionContext): void {
    const calls = Number(policy.attrs.calls);
    const periodMs = Number(policy.attrs["renewal-period"]) * 1000;
    const key = `quota|${String(evaluate(policy.attrs["counter-key"], ctx))}`;
    const now = Date.now();
    let entry = quotas.get(key);
    if (!entry || (periodMs > 0 && now >= entry.start + periodMs)) entry = { start: now, count: 0 };
    if (entry.count >= calls) {
      const left = Math.ceil((entry.start + periodMs - now) / 1000);
      const hms = new Date(left * 1000).toISOString().slice(11, 19);
      throw new Refused({
        status: 403,
        message: `Out of call volume quota. Quota will be replenished in ${hms}.`,
        headers: { "retry-after": String(left) },
      });
    }
    entry.count++;
    quotas.set(key, entry);
  }

  async function run(policies: XmlElement[], req: IncomingMessage, ctx: ExpressionContext): Promise<void> {
    for (const policy of policies) {
      if (policy.name === "validate-jwt") await validateJwt(policy, req);
      else if (policy.name === "rate-limit-by-key") rateLimit(policy, ctx);
      else if (policy.name === "quota-by-key") quota(policy, ctx);
      else if (policy.name === "return-response") {
        const status = Number(policy.children.find((c) => c.name === "set-status")?.attrs.code ?? 200);
        const headers = Object.fromEntries(
          policy.children
            .filter((c) => c.name === "set-header")
            .map((h) => [h.attrs.name.toLowerCase(), h.children.map((v) => v.text).join(",")]),
        );
        throw new Refused({ status, message: "", headers, body: policy.children.find((c) => c.name === "set-body")?.text ?? "" });
      } else if (policy.name === "choose") {
        const branch = policy.children.find((c) => c.name === "otherwise" || evaluate(c.attrs.condition, ctx) === true);
        if (branch) await run(branch.children, req, ctx);
      }
    }
  }

  function findSubscription(api: ApiEntity, key: string): { subscription: SubscriptionEntity; productId: string | null } | undefined {
    for (const s of store.subscriptions.values()) {
      if (s.state !== "active" || (s.primaryKey !== key && s.secondaryKey !== key)) continue;
      if (s.scope === "/apis" || s.scope === `/apis/${api.id}`) return { subscription: s, productId: null };
      const product = s.scope.startsWith("/products/") ? store.products.get(s.scope.slice("/products/".length)) : undefined;
      if (product && product.state === "published" && product.apis.includes(api.id)) return { subscription: s, productId: product.id };
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://gateway");
    const found = route(store, url.pathname);
    if (!found) return send(res, 404, { statusCode: 404, message: "Resource not found" });
    const { api, rest } = found;
    // Every answered call of an API counts in the reports, refusals included.
    const started = performance.now();
    const backend: {
      started: number | null;
      ended: number | null;
      operationId: string | null;
      subscription: string | null;
      product: string | null;
    } = { started: null, ended: null, operationId: null, subscription: null, product: null };
    // Bytes the gateway sent back, headers included (a connection may carry several calls).
    const writtenBefore = req.socket.bytesWritten;
    res.once("finish", () =>
      store.traffic.push({
        time: Date.now(),
        apiId: api.id,
        operationId: backend.operationId,
        subscriptionId: backend.subscription,
        productId: backend.product,
        status: res.statusCode,
        apiTimeMs: performance.now() - started,
        serviceTimeMs: backend.started === null ? null : (backend.ended ?? performance.now()) - backend.started,
        bandwidth: req.socket.bytesWritten - writtenBefore,
      }),
    );
    const origin = req.headers.origin;
    const preflight = req.method === "OPTIONS" && !!origin && !!req.headers["access-control-request-method"];
    const method = preflight ? String(req.headers["access-control-request-method"]).toUpperCase() : (req.method ?? "GET");
    const op = api.operations.find((o) => o.method === method && matchTemplate(o.urlTemplate, rest));
    const inbound = inboundPolicies(store, api, op);
    const cors = inbound.find((p) => p.name === "cors");
    if (preflight) {
      if (!cors) return send(res, 404, { statusCode: 404, message: "Resource not found" });
      const allow = corsHeaders(cors, origin);
      const methods = list(
        cors.children.find((c) => c.name === "allowed-methods"),
        "method",
      );
      const headers = list(
        cors.children.find((c) => c.name === "allowed-headers"),
        "header",
      );
      res.writeHead(
        200,
        allow && (methods.includes("*") || methods.includes(method))
          ? { ...allow, "access-control-allow-methods": methods.join(","), "access-control-allow-headers": headers.join(",") }
          : {},
      );
      return void res.end();
    }
    if (!op) return send(res, 404, { statusCode: 404, message: "Resource not found" });
    backend.operationId = op.id;
    const extra = (cors && corsHeaders(cors, origin)) || {};

    let subscription: { subscription: SubscriptionEntity; productId: string | null } | undefined;
    const keyHeader = api.subscriptionKeyParameterNames.header.toLowerCase();
    // A key that is sent is checked even when the API does not require one.
    const key =
      (req.headers[keyHeader] as string | undefined) ?? url.searchParams.get(api.subscriptionKeyParameterNames.query) ?? undefined;
    if (api.subscriptionRequired || key) {
      if (!key)
        return send(
          res,
          401,
          {
            statusCode: 401,
            message: "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
          },
          extra,
        );
      subscription = findSubscription(api, key);
      if (!subscription)
        return send(
          res,
          401,
          {
            statusCode: 401,
            message: "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.",
          },
          extra,
        );
    }
    backend.subscription = subscription?.subscription.id ?? null;
    backend.product = subscription?.productId ?? null;
    const ctx: ExpressionContext = {
      apiId: api.id,
      operationId: op.id,
      subscriptionId: subscription?.subscription.id ?? null,
      productId: subscription?.productId ?? null,
      ipAddress: req.socket.remoteAddress ?? "",
      header: (name) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(",") : v;
      },
    };
    try {
      await run(inbound, req, ctx);
    } catch (error) {
      if (error instanceof Refused && error.refusal.body !== undefined) {
        res.writeHead(error.refusal.status, { ...extra, ...error.refusal.headers });
        return void res.end(error.refusal.body);
      }
      if (error instanceof Refused)
        return send(
          res,
          error.refusal.status,
          { statusCode: error.refusal.status, message: error.refusal.message },
          { ...extra, ...error.refusal.headers },
        );
      throw error;
    }
    if (!api.serviceUrl) return send(res, 500, { statusCode: 500, message: "The API has no backend service URL." }, extra);
    const target = new URL(api.serviceUrl.replace(/\/+$/, "") + rest + url.search);
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
    delete headers[keyHeader];
    backend.started = performance.now();
    const upstream = (target.protocol === "https:" ? https : http).request(target, { method: req.method, headers }, (up) => {
      backend.ended = performance.now();
      res.writeHead(up.statusCode ?? 502, { ...up.headers, ...extra });
      up.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) send(res, 500, { statusCode: 500, message: "Internal server error: the backend is unreachable." }, extra);
      else res.destroy();
    });
    req.pipe(upstream);
  }

  return {
    handle(req, res) {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { statusCode: 500, message: `Internal server error: ${(error as Error).message}` });
        else res.destroy();
      });
    },
    reset() {
      windows.clear();
      quotas.clear();
      jwks.clear();
    },
  };
}
