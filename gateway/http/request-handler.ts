import { randomUUID } from "node:crypto";
import { resolveLimits } from "@/lib/domain/gateway/limit-resolution";
import { resolveQuota } from "@/lib/domain/gateway/quota";
import { matchApi, matchOperation, splitPath } from "@/lib/domain/gateway/route-match";
import type { AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import type { EventSink } from "../analytics/event-shipper";
import { authorize, identify } from "../auth/authenticate";
import type { JwtVerifier } from "../auth/jwt-verifier";
import type { RateLimiter } from "../limits/rate-limiter";
import type { GatewayLog } from "../log";
import type { GatewayMetrics } from "../observability/metrics";
import type { Http1Request, Http1Response } from "../http1/server";
import type { UpstreamProxy } from "../proxy/upstream-proxy";
import type { OperationLimits, RuntimeApi, RuntimeOperation, RuntimeSnapshot } from "../runtime-snapshot";
import { isPreflight, preflightHeaders, responseCorsHeaders } from "./cors";
import { handleOps, OPS_ENDPOINTS, OPS_PREFIX, type OpsState } from "./ops-routes";
import { sendProblem } from "./respond";

export interface HandlerDeps {
  runtime: () => RuntimeSnapshot | null;
  verifier: JwtVerifier;
  limiter: RateLimiter;
  proxy: UpstreamProxy;
  metrics: GatewayMetrics;
  events: EventSink;
  ops: OpsState;
  log: GatewayLog;
  environment: string;
  instanceId: string;
  region: string | null;
  /** Called when a response has ended or its connection closed. */
  onDone?: () => void;
}

/** What one request did, for metrics and its analytics event. */
interface Exchange {
  req: Http1Request;
  started: number;
  time: number;
  path: string;
  api: RuntimeApi | null;
  operation: RuntimeOperation | null;
  applicationId: string | null;
  keyType: "production" | "sandbox" | null;
  errorCode?: string;
  upstreamLatencyMs: number | null;
  responseBytes: number | null;
  abortUpstream?: { abort(): void };
}

/** The buckets and quota of one application's calls to one operation, resolved once per snapshot. */
function operationLimits(runtime: RuntimeSnapshot, api: RuntimeApi, operation: RuntimeOperation, applicationId: string | null, tierName: string | null): OperationLimits {
  const cacheKey = applicationId ?? "";
  const cached = operation.limits.get(cacheKey);
  if (cached) return cached;
  const tier = tierName === null ? null : runtime.tiers.get(tierName);
  const resolved: OperationLimits = {
    buckets: resolveLimits({
      apiId: api.api.id,
      apiLimit: api.api.rateLimit,
      operationKey: operation.key,
      operationLimit: operation.operation.rateLimit,
      applicationId,
      tier,
      applicationPolicy: applicationId === null ? undefined : runtime.applicationPolicies.get(applicationId),
    }),
    quota: resolveQuota(applicationId, api.api.id, tier),
  };
  operation.limits.set(cacheKey, resolved);
  return resolved;
}

/**
 * The request pipeline: route → CORS preflight → operation → credential → subscription →
 * limits → proxy. Each step answers with a problem document and stops, or passes on.
 */
export function createRequestHandler(deps: HandlerDeps) {
  const { metrics, events } = deps;

  function finish(req: Http1Request, res: Http1Response, ex: Exchange): void {
    const status = res.finished ? res.statusCode : 499;
    if (status === 499) ex.abortUpstream?.abort();
    deps.onDone?.();
    const latencyMs = performance.now() - ex.started;
    const apiLabel = ex.api ? ex.api.api.id : "none";
    metrics.observeRequest(apiLabel, status, latencyMs / 1000, ex.upstreamLatencyMs === null ? null : ex.upstreamLatencyMs / 1000);
    if (!ex.api) return;
    const event: AnalyticsEvent = {
      id: randomUUID(),
      time: new Date(ex.time).toISOString(),
      environment: deps.environment,
      instanceId: deps.instanceId,
      region: deps.region,
      apiId: ex.api.api.id,
      operation: ex.operation?.key ?? null,
      applicationId: ex.applicationId,
      keyType: ex.keyType,
      method: req.method,
      path: ex.path,
      status,
      latencyMs,
      upstreamLatencyMs: ex.upstreamLatencyMs,
      requestBytes: Number(req.headers["content-length"]) || 0,
      responseBytes: ex.responseBytes ?? res.contentLength ?? 0,
    };
    if (ex.errorCode) event.errorCode = ex.errorCode;
    events.record(event);
  }

  function refuse(res: Http1Response, ex: Exchange, status: number, code: string, detail: string, headers?: Record<string, string>): void {
    ex.errorCode = code;
    sendProblem(res, status, code, detail, headers);
  }

  async function handle(req: Http1Request, res: Http1Response, ex: Exchange): Promise<void> {
    const url = req.url;
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    ex.path = path;
    if (path.startsWith(OPS_PREFIX)) return handleOps(path.slice(OPS_PREFIX.length), res, deps.ops);
    const segments = path.startsWith("/") ? splitPath(path) : null;
    if (!segments) return refuse(res, ex, 400, "invalid_path", "The request path is not acceptable.");
    const runtime = deps.runtime();
    const route = runtime ? matchApi(runtime.router, segments) : null;
    if (!runtime || !route) {
      if (segments.length === 1 && OPS_ENDPOINTS.has(segments[0])) return handleOps(segments[0], res, deps.ops);
      if (!runtime) return refuse(res, ex, 503, "not_ready", "The gateway has no configuration yet.");
      return refuse(res, ex, 404, "route_not_found", "No API is deployed at this path.");
    }
    const api = (ex.api = route.api);
    const cors = api.api.cors;
    const method = req.method;
    if (cors?.enabled && isPreflight(method, req.headers)) {
      res.writeHead(204, preflightHeaders(cors, req.headers));
      res.end();
      return;
    }
    const corsHeaders = responseCorsHeaders(cors, req.headers.origin) ?? undefined;
    if (api.api.lifecycleState === "BLOCKED") return refuse(res, ex, 503, "api_blocked", "This API is blocked.", corsHeaders);
    const match = matchOperation(api.operations, method, route.rest);
    if (!match) return refuse(res, ex, 404, "operation_not_found", "This API has no operation at this path.", corsHeaders);
    if (!("operation" in match)) return refuse(res, ex, 405, "method_not_allowed", "This API has no operation for this method here.", { ...corsHeaders, allow: match.allowed.join(", ") });
    const operation = (ex.operation = match.operation);

    let tierName: string | null = null;
    if (operation.security.length > 0) {
      const found = identify(req.headers, operation, runtime, deps.verifier);
      const identity = found instanceof Promise ? await found : found;
      if (!identity.ok) {
        metrics.countAuthFailed(api.api.id, identity.code);
        const challenge: Record<string, string> = identity.status === 401 ? { "www-authenticate": 'Bearer error="invalid_token"' } : {};
        return refuse(res, ex, identity.status, identity.code, identity.message, { ...corsHeaders, ...challenge });
      }
      ex.applicationId = identity.identity.applicationId;
      ex.keyType = identity.identity.keyType;
      const allowed = authorize(identity.identity, api, operation, runtime);
      if (!allowed.ok) {
        metrics.countAuthFailed(api.api.id, allowed.code);
        return refuse(res, ex, allowed.status, allowed.code, allowed.message, corsHeaders);
      }
      tierName = allowed.principal.tierName;
    }

    let extraHeaders = corsHeaders;
    const { buckets, quota } = operationLimits(runtime, api, operation, ex.applicationId, tierName);
    if (buckets.length > 0 || quota) {
      const decided = deps.limiter.consume(buckets, quota);
      const decision = decided instanceof Promise ? await decided : decided;
      extraHeaders = corsHeaders ? { ...corsHeaders, ...decision.headers } : decision.headers;
      if (!decision.allowed) {
        metrics.countRateLimited(api.api.id);
        return refuse(res, ex, 429, "rate_limited", "Too many requests; retry after the time in Retry-After.", extraHeaders);
      }
    }

    const trailing = path.length > 1 && path.endsWith("/") ? "/" : "";
    const rest = route.rest.length ? `/${route.rest.join("/")}${trailing}` : trailing;
    const upstream = ex.keyType === "sandbox" ? api.sandbox! : api.production;
    deps.proxy.forward(
      req,
      res,
      {
        upstream,
        path: (rest || (upstream.basePath ? "" : "/")) + (q < 0 ? "" : url.slice(q)),
        stripBearer: api.stripBearer,
        stripApiKey: api.stripApiKey,
        headersTimeoutMs: api.api.upstream.timeoutMs,
        extraHeaders,
      },
      ex,
      (result) => {
        if (result.ok) return;
        // The response has not started: the gateway answers (or notes that the client left).
        ex.upstreamLatencyMs = result.upstreamLatencyMs;
        if (result.status === 499) ex.errorCode = result.code;
        else answerFailure(res, ex, result.status, result.code, result.message, extraHeaders);
      },
    );
  }

  /** An upstream failure answered after the request's own handling returned: errors are caught here. */
  function answerFailure(res: Http1Response, ex: Exchange, status: number, code: string, message: string, headers?: Record<string, string>): void {
    try {
      refuse(res, ex, status, code, message, headers);
    } catch (error) {
      deps.log.error({ err: error, path: ex.path }, "Request failed inside the gateway");
      res.destroy();
    }
  }


  // Module-level listener and try/catch rather than closures per request: the loader that runs
  // the gateway's TypeScript wraps each closure in a naming helper, which showed in the profile.
  function onClose(res: Http1Response): void {
    const ex = res.context as Exchange | null;
    if (ex) finish(ex.req, res, ex);
  }

  async function run(req: Http1Request, res: Http1Response, ex: Exchange): Promise<void> {
    try {
      await handle(req, res, ex);
    } catch (error) {
      deps.log.error({ err: error, path: ex.path }, "Request failed inside the gateway");
      if (!res.headersSent) refuse(res, ex, 500, "gateway_error", "The gateway failed to handle this request.");
      else res.destroy();
    }
  }

  return function onRequest(req: Http1Request, res: Http1Response): void {
    const ex: Exchange = { req, started: performance.now(), time: Date.now(), path: "", api: null, operation: null, applicationId: null, keyType: null, upstreamLatencyMs: null, responseBytes: null };
    res.context = ex;
    res.onClose(onClose);
    void run(req, res, ex);
  };
}
