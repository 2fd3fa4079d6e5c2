import { resolveLimits } from "@/lib/domain/gateway/limit-resolution";
import { resolveQuota } from "@/lib/domain/gateway/quota";
import { matchApi, matchOperation, splitPath } from "@/lib/domain/gateway/route-match";
import type { AnalyticsEventGroup } from "@/lib/domain/gateway/snapshot";
import { eventGroupJson } from "@/lib/domain/gateway/sync/event-json";
import type { EventSink } from "@/lib/domain/gateway/sync/event-shipper";
import { authorize, identify, type IdentifyResult } from "../auth/authenticate";
import type { JwtVerifier } from "../auth/jwt-verifier";
import type { LimitDecision, RateLimiter } from "../limits/rate-limiter";
import type { GatewayLog } from "../log";
import type { GatewayMetrics } from "../observability/metrics";
import type { Http1Request, Http1Response } from "../http1/server";
import type { ProxyOutcome, ProxyTiming, UpstreamProxy } from "../proxy/upstream-proxy";
import type { OperationCaller, RuntimeApi, RuntimeOperation, RuntimeSnapshot } from "../runtime-snapshot";
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

/** What one request did, for metrics and its analytics event; and what its handling found so far. */
interface Exchange {
  req: Http1Request;
  res: Http1Response;
  started: number;
  time: number;
  path: string;
  api: RuntimeApi | null;
  operation: RuntimeOperation | null;
  /** Set once the caller is known (after authorization, or at once for an open operation). */
  caller: OperationCaller | null;
  applicationId: string | null;
  keyType: "production" | "sandbox" | null;
  /** CORS, then also rate-limit headers added to the response. */
  extraHeaders: Record<string, string> | undefined;
  errorCode?: string;
  upstreamLatencyMs: number | null;
  responseBytes: number | null;
  abortUpstream?: { abort(): void };
}

/** The buckets, quota and event identity of one application's calls to one operation, resolved once per snapshot. */
function operationCaller(
  runtime: RuntimeSnapshot,
  api: RuntimeApi,
  operation: RuntimeOperation,
  applicationId: string | null,
  tierName: string | null,
): OperationCaller {
  const cacheKey = applicationId ?? "";
  const cached = operation.callers.get(cacheKey);
  if (cached) return cached;
  const tier = tierName === null ? null : runtime.tiers.get(tierName);
  const resolved: OperationCaller = {
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
    eventGroup: {},
  };
  operation.callers.set(cacheKey, resolved);
  return resolved;
}

/**
 * The request pipeline: route → CORS preflight → operation → credential → subscription →
 * limits → proxy. Each step answers with a problem document and stops, or passes on. It runs
 * synchronously while the token is cached and the limits are local; a step that has to wait
 * (a token seen for the first time, limits kept in Redis) continues the rest when it is done.
 */
export function createRequestHandler(deps: HandlerDeps) {
  const { metrics, events } = deps;

  function eventGroup(ex: Exchange, api: RuntimeApi, method: string): AnalyticsEventGroup {
    return {
      environment: deps.environment,
      instanceId: deps.instanceId,
      region: deps.region,
      apiId: api.api.id,
      operation: ex.operation?.key ?? null,
      applicationId: ex.applicationId,
      keyType: ex.keyType,
      method,
    };
  }

  function finish(ex: Exchange): void {
    const { req, res } = ex;
    const status = res.finished ? res.statusCode : 499;
    // The client went away, or the server answered in the handler's place (the request's body
    // turned out invalid): an upstream exchange still running is cancelled.
    if (status === 499 || res.failure !== null) ex.abortUpstream?.abort();
    if (res.failure !== null) ex.errorCode = res.failure;
    deps.onDone?.();
    const latencyMs = performance.now() - ex.started;
    const api = ex.api;
    metrics.observeRequest(
      api ? api.api.id : "none",
      status,
      latencyMs / 1000,
      ex.upstreamLatencyMs === null ? null : ex.upstreamLatencyMs / 1000,
    );
    if (!api) return;
    let group: string;
    const caller = ex.caller;
    if (caller && req.method === ex.operation?.method) {
      const slot = ex.keyType ?? "none";
      group = caller.eventGroup[slot] ??= eventGroupJson(eventGroup(ex, api, req.method));
    } else {
      group = eventGroupJson(eventGroup(ex, api, req.method));
    }
    const requestBytes = Number(req.headers["content-length"]) || 0;
    const responseBytes = ex.responseBytes ?? res.contentLength ?? 0;
    events.recordRequest(group, ex.time, ex.path, status, latencyMs, ex.upstreamLatencyMs, requestBytes, responseBytes, ex.errorCode);
  }

  function refuse(ex: Exchange, status: number, code: string, detail: string, headers?: Record<string, string>): void {
    // Already answered or abandoned while a step waited (the client left, the body was invalid).
    if (ex.res.done) return;
    ex.errorCode = code;
    sendProblem(ex.res, status, code, detail, headers);
  }

  function handle(ex: Exchange): void | Promise<void> {
    const { req, res } = ex;
    const url = req.url;
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    ex.path = path;
    if (path.startsWith(OPS_PREFIX)) return handleOps(path.slice(OPS_PREFIX.length), res, deps.ops);
    const segments = path.startsWith("/") ? splitPath(path) : null;
    if (!segments) return refuse(ex, 400, "invalid_path", "The request path is not acceptable.");
    const runtime = deps.runtime();
    const route = runtime ? matchApi(runtime.router, segments) : null;
    if (!runtime || !route) {
      if (segments.length === 1 && OPS_ENDPOINTS.has(segments[0])) return handleOps(segments[0], res, deps.ops);
      if (!runtime) return refuse(ex, 503, "not_ready", "The gateway has no configuration yet.");
      return refuse(ex, 404, "route_not_found", "No API is deployed at this path.");
    }
    const api = (ex.api = route.api);
    const cors = api.api.cors;
    const method = req.method;
    if (cors?.enabled && isPreflight(method, req.headers)) {
      res.writeHead(204, preflightHeaders(cors, req.headers));
      res.end();
      return;
    }
    const corsHeaders = (ex.extraHeaders = responseCorsHeaders(cors, req.headers.origin) ?? undefined);
    if (api.api.lifecycleState === "BLOCKED") return refuse(ex, 503, "api_blocked", "This API is blocked.", corsHeaders);
    const match = matchOperation(api.operations, method, route.rest);
    if (!match) return refuse(ex, 404, "operation_not_found", "This API has no operation at this path.", corsHeaders);
    if (!("operation" in match))
      return refuse(ex, 405, "method_not_allowed", "This API has no operation for this method here.", {
        ...corsHeaders,
        allow: match.allowed.join(", "),
      });
    const operation = (ex.operation = match.operation);
    if (operation.security.length === 0) return limit(ex, runtime, api, operation, route.rest, null);
    const found = identify(req.headers, operation, runtime, deps.verifier);
    if (found instanceof Promise) return found.then((identity) => authorized(ex, runtime, api, operation, route.rest, identity));
    return authorized(ex, runtime, api, operation, route.rest, found);
  }

  function authorized(
    ex: Exchange,
    runtime: RuntimeSnapshot,
    api: RuntimeApi,
    operation: RuntimeOperation,
    rest: string[],
    identity: IdentifyResult,
  ): void | Promise<void> {
    const corsHeaders = ex.extraHeaders;
    if (!identity.ok) {
      metrics.countAuthFailed(api.api.id, identity.code);
      const challenge: Record<string, string> = identity.status === 401 ? { "www-authenticate": 'Bearer error="invalid_token"' } : {};
      return refuse(ex, identity.status, identity.code, identity.message, { ...corsHeaders, ...challenge });
    }
    ex.applicationId = identity.identity.applicationId;
    ex.keyType = identity.identity.keyType;
    const allowed = authorize(identity.identity, api, operation, runtime);
    if (!allowed.ok) {
      metrics.countAuthFailed(api.api.id, allowed.code);
      // RFC 6750 §3.1: the scopes a token would need, for clients that ask for a better one.
      const challenge =
        allowed.scope !== undefined ? { "www-authenticate": `Bearer error="insufficient_scope", scope="${allowed.scope}"` } : undefined;
      return refuse(ex, allowed.status, allowed.code, allowed.message, challenge ? { ...corsHeaders, ...challenge } : corsHeaders);
    }
    return limit(ex, runtime, api, operation, rest, allowed.principal.tierName);
  }

  function limit(
    ex: Exchange,
    runtime: RuntimeSnapshot,
    api: RuntimeApi,
    operation: RuntimeOperation,
    rest: string[],
    tierName: string | null,
  ): void | Promise<void> {
    const { buckets, quota } = (ex.caller = operationCaller(runtime, api, operation, ex.applicationId, tierName));
    if (buckets.length === 0 && !quota) return forward(ex, api, rest);
    const decided = deps.limiter.consume(buckets, quota);
    if (decided instanceof Promise) return decided.then((decision) => limited(ex, api, rest, decision));
    return limited(ex, api, rest, decided);
  }

  function limited(ex: Exchange, api: RuntimeApi, rest: string[], decision: LimitDecision): void {
    const corsHeaders = ex.extraHeaders;
    ex.extraHeaders = corsHeaders ? { ...corsHeaders, ...decision.headers } : decision.headers;
    if (!decision.allowed) {
      metrics.countRateLimited(api.api.id);
      return refuse(ex, 429, "rate_limited", "Too many requests; retry after the time in Retry-After.", ex.extraHeaders);
    }
    forward(ex, api, rest);
  }

  function forward(ex: Exchange, api: RuntimeApi, rest: string[]): void {
    const { req, path } = ex;
    if (ex.res.done) return;
    const trailing = path.length > 1 && path.endsWith("/") ? "/" : "";
    const restPath = rest.length ? `/${rest.join("/")}${trailing}` : trailing;
    const upstream = ex.keyType === "sandbox" ? api.sandbox! : api.production;
    deps.proxy.forward(
      req,
      ex.res,
      {
        upstream,
        path: (restPath || (upstream.basePath ? "" : "/")) + req.url.slice(path.length),
        stripBearer: api.stripBearer,
        stripApiKey: api.stripApiKey,
        headersTimeoutMs: api.api.upstream.timeoutMs,
        extraHeaders: ex.extraHeaders,
      },
      ex,
      proxied,
    );
  }

  /** How the upstream exchange ended; a failure before the response started is answered here. */
  function proxied(result: ProxyOutcome, timing: ProxyTiming): void {
    if (result.ok) return;
    const ex = timing as Exchange;
    ex.upstreamLatencyMs = result.upstreamLatencyMs;
    if (result.status === 499) ex.errorCode = result.code;
    else answerFailure(ex, result.status, result.code, result.message, ex.extraHeaders);
  }

  /** An upstream failure answered after the request's own handling returned: errors are caught here. */
  function answerFailure(ex: Exchange, status: number, code: string, message: string, headers?: Record<string, string>): void {
    try {
      refuse(ex, status, code, message, headers);
    } catch (error) {
      deps.log.error({ err: error, path: ex.path }, "Request failed inside the gateway");
      ex.res.destroy();
    }
  }

  /** The pipeline threw, synchronously or in a step that waited. */
  function failed(ex: Exchange, error: unknown): void {
    deps.log.error({ err: error, path: ex.path }, "Request failed inside the gateway");
    if (!ex.res.headersSent) answerFailure(ex, 500, "gateway_error", "The gateway failed to handle this request.");
    else ex.res.destroy();
  }

  // Module-level listeners rather than closures per request: the loader that runs the gateway's
  // TypeScript wraps each closure in a naming helper, which showed in the profile.
  function onClose(res: Http1Response): void {
    const ex = res.context as Exchange | null;
    if (ex) finish(ex);
  }

  function onFailed(this: Exchange, error: unknown): void {
    failed(this, error);
  }

  return function onRequest(req: Http1Request, res: Http1Response): void {
    const ex: Exchange = {
      req,
      res,
      started: performance.now(),
      time: Date.now(),
      path: "",
      api: null,
      operation: null,
      caller: null,
      applicationId: null,
      keyType: null,
      extraHeaders: undefined,
      upstreamLatencyMs: null,
      responseBytes: null,
    };
    res.context = ex;
    res.onClose(onClose);
    try {
      const pending = handle(ex);
      if (pending) pending.catch(onFailed.bind(ex));
    } catch (error) {
      failed(ex, error);
    }
  };
}
