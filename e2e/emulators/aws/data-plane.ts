import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { EmulatorState, EmuMethod, EmuResource, EmuUsagePlan } from "./store";

/**
 * The invoke side: /restapis/{restApiId}/{stage}/_user_request_/{path}, served from the
 * deployment the stage points at, with API Gateway's checks in its order: route, authorizer,
 * API key and usage plan (throttle, quota), method throttle, then the integration.
 */

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const PREFIX = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/[^?]*)?(\?.*)?$/;
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

function answer(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "x-amzn-requestid": randomUUID(), ...headers });
  res.end(JSON.stringify({ message }));
}

/** The resource a path resolves to: literal segments beat variables, variables beat a greedy {proxy+}. */
function matchResource(resources: EmuResource[], path: string): { resource: EmuResource; params: Record<string, string> } | undefined {
  const parts = path.split("/").filter(Boolean);
  let best: { resource: EmuResource; params: Record<string, string>; score: number } | undefined;
  for (const resource of resources) {
    const template = resource.path.split("/").filter(Boolean);
    const params: Record<string, string> = {};
    let score = 0;
    let matched = true;
    for (let i = 0; i < template.length; i++) {
      const t = template[i];
      const greedy = /^\{(.+)\+\}$/.exec(t);
      if (greedy) {
        if (i >= parts.length) matched = false;
        else params[greedy[1]] = parts.slice(i).map(decodeURIComponent).join("/");
        if (i !== template.length - 1) matched = false;
        break;
      }
      if (i >= parts.length) {
        matched = false;
        break;
      }
      const variable = /^\{(.+)\}$/.exec(t);
      if (variable) {
        params[variable[1]] = decodeURIComponent(parts[i]);
        score += 1;
      } else if (t === parts[i]) {
        score += 2;
      } else {
        matched = false;
        break;
      }
    }
    const greedyTail = /\+\}$/.test(template[template.length - 1] ?? "");
    if (!matched || (!greedyTail && template.length !== parts.length)) continue;
    if (!best || score > best.score) best = { resource, params, score };
  }
  return best;
}

export function createDataPlane(state: EmulatorState) {
  const buckets = new Map<string, Bucket>();
  const quotaCounts = new Map<string, number>();

  /** Takes one token; false when the bucket is empty. */
  function take(key: string, rate: number | undefined, burst: number | undefined, now: number): boolean {
    if (rate === undefined && burst === undefined) return true;
    const capacity = burst ?? Math.max(1, Math.ceil(rate ?? 1));
    const perMs = (rate ?? capacity) / 1000;
    const bucket = buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  function quotaPeriod(plan: EmuUsagePlan, now: number): string {
    const d = new Date(now);
    if (plan.quota!.period === "DAY") return d.toISOString().slice(0, 10);
    if (plan.quota!.period === "WEEK") return `w${Math.floor((now / 86_400_000 + 3) / 7)}`;
    return d.toISOString().slice(0, 7);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const m = PREFIX.exec(req.url ?? "");
    if (!m) return answer(res, 404, "Not Found");
    const [, restApiId, stageName, rawPath = "/", search = ""] = m;
    const api = state.restApis.get(restApiId);
    if (!api) return answer(res, 404, "Not Found");
    const stage = api.stages.get(stageName);
    const deployment = stage && api.deployments.get(stage.deploymentId);
    if (!stage || !deployment) return answer(res, 403, "Forbidden");
    const snapshot = deployment.snapshot;
    // Every request a stage answers counts in its metrics, refusals included.
    const started = performance.now();
    const integration: { started: number | null; ended: number | null } = { started: null, ended: null };
    res.once("finish", () =>
      state.traffic.push({
        time: Date.now(),
        apiName: api.name,
        stage: stageName,
        status: res.statusCode,
        latencyMs: performance.now() - started,
        integrationLatencyMs: integration.started === null ? null : (integration.ended ?? performance.now()) - integration.started,
      }),
    );

    const found = matchResource(snapshot.resources, rawPath);
    const httpMethod = (req.method ?? "GET").toUpperCase();
    const method: EmuMethod | undefined = found && (found.resource.resourceMethods[httpMethod] ?? found.resource.resourceMethods.ANY);
    // API Gateway answers an unknown route as if it were unauthenticated.
    if (!found || !method) return answer(res, 403, "Missing Authentication Token");

    if (method.authorizationType === "CUSTOM") {
      const authorizer = snapshot.authorizers.find((a) => a.id === method.authorizerId);
      const header = authorizer?.identitySource.replace("method.request.header.", "").toLowerCase() ?? "authorization";
      // The Lambda itself does not run here: any token passes, a missing one does not.
      if (!req.headers[header]) return answer(res, 401, "Unauthorized");
    }

    const now = Date.now();
    if (method.apiKeyRequired) {
      const value = req.headers["x-api-key"];
      const key = typeof value === "string" ? [...state.apiKeys.values()].find((k) => k.value === value && k.enabled) : undefined;
      const plan =
        key &&
        [...state.usagePlans.values()].find(
          (p) => p.keys.includes(key.id) && p.apiStages.some((s) => s.apiId === restApiId && s.stage === stageName),
        );
      if (!key || !plan) return answer(res, 403, "Forbidden");
      if (!take(`plan:${plan.id}:${key.id}`, plan.throttle?.rateLimit, plan.throttle?.burstLimit, now))
        return answer(res, 429, "Too Many Requests");
      if (plan.quota) {
        const counter = `quota:${plan.id}:${key.id}:${quotaPeriod(plan, now)}`;
        const used = quotaCounts.get(counter) ?? 0;
        if (used >= plan.quota.limit) return answer(res, 429, "Limit Exceeded");
        quotaCounts.set(counter, used + 1);
      }
    }

    const settingKey = `${found.resource.path.replace(/^\//, "")}/${method.httpMethod}`;
    const setting = stage.methodSettings[settingKey] ?? stage.methodSettings["*/*"];
    if (
      setting &&
      !take(
        `stage:${restApiId}:${stageName}:${stage.methodSettings[settingKey] ? settingKey : "*/*"}`,
        setting.throttlingRateLimit,
        setting.throttlingBurstLimit,
        now,
      )
    ) {
      return answer(res, 429, "Too Many Requests");
    }

    const methodIntegration = method.methodIntegration!;
    integration.started = performance.now();
    if (methodIntegration.type === "MOCK") {
      integration.ended = integration.started;
      const response = methodIntegration.integrationResponses?.["200"] ?? Object.values(methodIntegration.integrationResponses ?? {})[0];
      const headers: Record<string, string> = { "x-amzn-requestid": randomUUID() };
      for (const [target, source] of Object.entries(response?.responseParameters ?? {})) {
        if (/^'.*'$/.test(source)) headers[target.replace("method.response.header.", "")] = source.slice(1, -1);
      }
      const template = response?.responseTemplates?.["application/json"] ?? "";
      res.writeHead(Number(response?.statusCode ?? 200), { ...(template ? { "content-type": "application/json" } : {}), ...headers });
      return void res.end(template);
    }
    if (methodIntegration.type !== "HTTP_PROXY" && methodIntegration.type !== "HTTP") return answer(res, 500, "Internal server error");

    let uri = methodIntegration.uri!;
    for (const [target, source] of Object.entries(methodIntegration.requestParameters ?? {})) {
      const name = /^integration\.request\.path\.(.+)$/.exec(target)?.[1];
      const from = /^method\.request\.path\.(.+)$/.exec(source)?.[1];
      if (name && from !== undefined) uri = uri.replace(`{${name}}`, encodeURIComponent(found.params[from] ?? "").replace(/%2F/g, "/"));
    }
    proxy(
      req,
      res,
      uri + search,
      methodIntegration.httpMethod === "ANY" ? httpMethod : methodIntegration.httpMethod!,
      methodIntegration.timeoutInMillis,
      () => (integration.ended = performance.now()),
    );
  }

  return {
    handle,
    reset() {
      buckets.clear();
      quotaCounts.clear();
    },
  };
}

function proxy(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: string,
  method: string,
  timeoutMs: number,
  onResponse: () => void,
): void {
  const url = new URL(target);
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  const upstream = (url.protocol === "https:" ? https : http).request(url, { method, headers, timeout: timeoutMs }, (up) => {
    onResponse();
    const out: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
    res.writeHead(up.statusCode ?? 502, { ...out, "x-amzn-requestid": randomUUID() });
    up.pipe(res);
  });
  upstream.on("timeout", () => {
    upstream.destroy();
    if (!res.headersSent) answer(res, 504, "Endpoint request timed out");
  });
  upstream.on("error", () => {
    if (!res.headersSent) answer(res, 502, "Internal server error");
    else res.destroy();
  });
  req.pipe(upstream);
}
