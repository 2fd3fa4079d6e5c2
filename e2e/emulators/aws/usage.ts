import { randomBytes } from "node:crypto";
import { badRequest, conflict, notFound } from "./errors";
import { accepted, jsonBody, ok, paginate, param, patchOps, validTags, type ApiRequest, type ApiResponse } from "./request";
import { restApiOrThrow } from "./rest-apis";
import { newId, nowSeconds, type EmuApiKey, type EmuUsagePlan } from "./store";

/** /usageplans, /usageplans/{id}/keys, /apikeys and /tags/{arn}. */

const PERIODS = ["DAY", "WEEK", "MONTH"] as const;

const planView = (p: EmuUsagePlan) => ({
  id: p.id,
  name: p.name,
  ...(p.description ? { description: p.description } : {}),
  apiStages: p.apiStages,
  ...(p.throttle ? { throttle: p.throttle } : {}),
  ...(p.quota ? { quota: p.quota } : {}),
  tags: p.tags,
});

const keyView = (k: EmuApiKey, withValue: boolean) => ({
  id: k.id,
  ...(k.name ? { name: k.name } : {}),
  ...(k.description ? { description: k.description } : {}),
  ...(k.customerId ? { customerId: k.customerId } : {}),
  enabled: k.enabled,
  createdDate: k.createdDate,
  lastUpdatedDate: k.lastUpdatedDate,
  stageKeys: [],
  tags: k.tags,
  ...(withValue ? { value: k.value } : {}),
});

function planOrThrow(req: ApiRequest, id: string): EmuUsagePlan {
  const plan = req.state.usagePlans.get(id);
  if (!plan) throw notFound("Invalid Usage Plan ID specified");
  return plan;
}

function keyOrThrow(req: ApiRequest, id: string): EmuApiKey {
  const key = req.state.apiKeys.get(id);
  if (!key) throw notFound("Invalid API Key identifier specified");
  return key;
}

function checkApiStage(req: ApiRequest, planId: string, apiId: string, stage: string): void {
  const api = req.state.restApis.get(apiId);
  if (!api || !api.stages.has(stage))
    throw badRequest(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${planId}`);
}

function throttleOf(value: unknown): EmuUsagePlan["throttle"] {
  if (value === undefined) return undefined;
  const t = value as { rateLimit?: unknown; burstLimit?: unknown };
  if (
    (t.rateLimit !== undefined && (typeof t.rateLimit !== "number" || t.rateLimit < 0)) ||
    (t.burstLimit !== undefined && (!Number.isInteger(t.burstLimit) || (t.burstLimit as number) < 0))
  ) {
    throw badRequest("Invalid throttle settings: rateLimit must be a non-negative number and burstLimit a non-negative integer.");
  }
  return {
    ...(t.rateLimit !== undefined ? { rateLimit: t.rateLimit as number } : {}),
    ...(t.burstLimit !== undefined ? { burstLimit: t.burstLimit as number } : {}),
  };
}

function quotaOf(value: unknown): EmuUsagePlan["quota"] {
  if (value === undefined) return undefined;
  const q = value as { limit?: unknown; period?: unknown; offset?: unknown };
  if (!Number.isInteger(q.limit) || (q.limit as number) < 0)
    throw badRequest("Invalid quota settings: limit must be a non-negative integer.");
  if (!PERIODS.includes(q.period as (typeof PERIODS)[number]))
    throw badRequest(`Invalid quota settings: period must be one of ${PERIODS.join(", ")}.`);
  return { limit: q.limit as number, period: q.period as (typeof PERIODS)[number], offset: Number(q.offset ?? 0) };
}

function updatePlan(req: ApiRequest, plan: EmuUsagePlan): void {
  for (const op of patchOps(req)) {
    const v = op.value ?? "";
    if (op.path === "/apiStages") {
      const [apiId, stage] = v.split(":");
      if (op.op === "add") {
        checkApiStage(req, plan.id, apiId, stage);
        if (plan.apiStages.some((s) => s.apiId === apiId && s.stage === stage))
          throw conflict(`Stage ${stage} of API ${apiId} is already in usage plan ${plan.id}`);
        plan.apiStages.push({ apiId, stage });
      } else if (op.op === "remove") {
        if (!plan.apiStages.some((s) => s.apiId === apiId && s.stage === stage))
          throw badRequest(`API Stage ${v} is not associated with usage plan ${plan.id}`);
        plan.apiStages = plan.apiStages.filter((s) => !(s.apiId === apiId && s.stage === stage));
      } else throw badRequest(`Invalid patch operation specified. Must be one of: [add, remove] for path /apiStages`);
    } else if (op.op === "remove" && op.path === "/throttle") delete plan.throttle;
    else if (op.op === "remove" && op.path === "/quota") delete plan.quota;
    else if (op.op !== "replace") throw badRequest(`Invalid patch operation specified. Must be 'replace' for path ${op.path}`);
    else if (op.path === "/name") plan.name = v;
    else if (op.path === "/description") plan.description = v;
    else if (op.path === "/throttle/rateLimit" || op.path === "/throttle/burstLimit") {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || (op.path.endsWith("burstLimit") && !Number.isInteger(n)))
        throw badRequest(`Invalid value for ${op.path}: ${v}`);
      plan.throttle = { ...plan.throttle, [op.path.slice("/throttle/".length)]: n };
    } else if (op.path === "/quota/limit" || op.path === "/quota/period" || op.path === "/quota/offset") {
      const quota = plan.quota ?? { limit: 0, period: "MONTH", offset: 0 };
      if (op.path === "/quota/period") {
        if (!PERIODS.includes(v as (typeof PERIODS)[number])) throw badRequest(`Invalid quota period ${v}`);
        quota.period = v as (typeof PERIODS)[number];
      } else {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value for ${op.path}: ${v}`);
        if (op.path === "/quota/limit") quota.limit = n;
        else quota.offset = n;
      }
      plan.quota = quota;
    } else throw badRequest(`Invalid patch path ${op.path}`);
  }
}

function usagePlans(req: ApiRequest): ApiResponse {
  const { state, method, segments } = req;
  const [, id, sub, keyId] = segments;
  if (!id) {
    if (method === "GET") {
      const keyFilter = param(req, "keyId");
      const plans = [...state.usagePlans.values()].filter((p) => !keyFilter || p.keys.includes(keyFilter));
      return ok(paginate(req, plans.map(planView)));
    }
    if (method === "POST") {
      const body = jsonBody(req);
      if (typeof body.name !== "string" || !body.name.trim()) throw badRequest("Usage plan name must be non-empty");
      const plan: EmuUsagePlan = {
        id: newId(6),
        name: body.name,
        ...(typeof body.description === "string" ? { description: body.description } : {}),
        apiStages: [],
        throttle: throttleOf(body.throttle),
        quota: quotaOf(body.quota),
        tags: validTags(body.tags),
        keys: [],
      };
      for (const s of Array.isArray(body.apiStages) ? (body.apiStages as Array<{ apiId?: string; stage?: string }>) : []) {
        checkApiStage(req, plan.id, String(s.apiId), String(s.stage));
        plan.apiStages.push({ apiId: String(s.apiId), stage: String(s.stage) });
      }
      if (!plan.throttle) delete plan.throttle;
      if (!plan.quota) delete plan.quota;
      state.usagePlans.set(plan.id, plan);
      return ok(planView(plan), 201);
    }
  }
  const plan = planOrThrow(req, id);
  if (!sub) {
    if (method === "GET") return ok(planView(plan));
    if (method === "PATCH") {
      updatePlan(req, plan);
      return ok(planView(plan));
    }
    if (method === "DELETE") {
      if (plan.apiStages.length) throw badRequest("Cannot delete Usage Plan with associated API Stages");
      state.usagePlans.delete(id);
      return accepted();
    }
  }
  if (sub === "keys") {
    const view = (k: EmuApiKey) => ({ id: k.id, type: "API_KEY", value: k.value, ...(k.name ? { name: k.name } : {}) });
    if (!keyId && method === "GET") {
      const prefix = param(req, "name");
      return ok(
        paginate(
          req,
          plan.keys
            .map((k) => state.apiKeys.get(k)!)
            .filter((k) => k && (!prefix || k.name?.startsWith(prefix)))
            .map(view),
        ),
      );
    }
    if (!keyId && method === "POST") {
      const body = jsonBody(req);
      if (body.keyType !== "API_KEY") throw badRequest("Invalid key type specified: must be API_KEY");
      const key = keyOrThrow(req, String(body.keyId ?? ""));
      if (plan.keys.includes(key.id)) throw conflict("Usage Plan Key already exists");
      plan.keys.push(key.id);
      return ok(view(key), 201);
    }
    if (keyId) {
      if (!plan.keys.includes(keyId)) throw notFound("Invalid Usage Plan Key identifier specified");
      if (method === "GET") return ok(view(state.apiKeys.get(keyId)!));
      if (method === "DELETE") {
        plan.keys = plan.keys.filter((k) => k !== keyId);
        return accepted();
      }
    }
  }
  throw notFound(`Unknown operation ${method} /${segments.join("/")}`);
}

function apiKeys(req: ApiRequest): ApiResponse {
  const { state, method, segments } = req;
  const id = segments[1];
  if (!id) {
    if (method === "GET") {
      const prefix = param(req, "name");
      const withValues = param(req, "includeValues") === "true";
      const keys = [...state.apiKeys.values()].filter((k) => !prefix || k.name?.startsWith(prefix));
      return ok(
        paginate(
          req,
          keys.map((k) => keyView(k, withValues)),
        ),
      );
    }
    if (method === "POST") {
      const body = jsonBody(req);
      const value = typeof body.value === "string" ? body.value : randomBytes(30).toString("base64url").slice(0, 40);
      if (value.length < 20 || value.length > 128)
        throw badRequest("API Key value should be at least 20 characters and at most 128 characters");
      // Two keys with one value are one key to API Gateway.
      if ([...state.apiKeys.values()].some((k) => k.value === value)) throw conflict("API Key already exists");
      const now = nowSeconds();
      const key: EmuApiKey = {
        id: newId(10),
        ...(typeof body.name === "string" ? { name: body.name } : {}),
        value,
        enabled: body.enabled === true,
        ...(typeof body.description === "string" ? { description: body.description } : {}),
        ...(typeof body.customerId === "string" ? { customerId: body.customerId } : {}),
        createdDate: now,
        lastUpdatedDate: now,
        tags: validTags(body.tags),
      };
      state.apiKeys.set(key.id, key);
      return ok(keyView(key, true), 201);
    }
  }
  const key = keyOrThrow(req, id);
  if (method === "GET") return ok(keyView(key, param(req, "includeValue") === "true"));
  if (method === "DELETE") {
    state.apiKeys.delete(id);
    for (const plan of state.usagePlans.values()) plan.keys = plan.keys.filter((k) => k !== id);
    return accepted();
  }
  if (method === "PATCH") {
    for (const op of patchOps(req)) {
      if (op.op !== "replace") throw badRequest(`Invalid patch operation specified. Must be 'replace' for path ${op.path}`);
      if (op.path === "/enabled") key.enabled = op.value === "true";
      else if (op.path === "/name") key.name = op.value;
      else if (op.path === "/description") key.description = op.value;
      else throw badRequest(`Invalid patch path ${op.path}`);
    }
    key.lastUpdatedDate = nowSeconds();
    return ok(keyView(key, false));
  }
  throw notFound(`Unknown operation ${method} /${segments.join("/")}`);
}

/** The tag map behind an ARN: arn:aws:apigateway:{region}::/restapis/{id}[/stages/{name}], /usageplans/{id}, /apikeys/{id}. */
function tagsOf(req: ApiRequest, arn: string): Record<string, string> {
  const m = /^arn:aws(-[a-z]+)*:apigateway:([a-z0-9-]+)::(\/.+)$/.exec(arn);
  if (!m) throw badRequest(`Invalid ARN specified in the request: ${arn}`);
  const parts = m[3].split("/").filter(Boolean);
  if (parts[0] === "restapis" && parts.length === 2) return restApiOrThrow(req, parts[1]).tags;
  if (parts[0] === "restapis" && parts[2] === "stages" && parts.length === 4) {
    const stage = restApiOrThrow(req, parts[1]).stages.get(parts[3]);
    if (!stage) throw notFound("Invalid Stage identifier specified");
    return stage.tags;
  }
  if (parts[0] === "usageplans" && parts.length === 2) return planOrThrow(req, parts[1]).tags;
  if (parts[0] === "apikeys" && parts.length === 2) return keyOrThrow(req, parts[1]).tags;
  throw notFound(`Invalid resource identifier specified: ${arn}`);
}

function tags(req: ApiRequest): ApiResponse {
  const arn = req.segments.slice(1).join("/");
  const current = tagsOf(req, arn);
  if (req.method === "GET") return ok({ tags: current });
  if (req.method === "PUT") {
    const added = validTags(jsonBody(req).tags);
    if (Object.keys({ ...current, ...added }).length > 50) throw badRequest("Too many tags: at most 50 are allowed.");
    Object.assign(current, added);
    return { status: 204 };
  }
  if (req.method === "DELETE") {
    for (const key of req.query.get("tagKeys") ?? []) delete current[key];
    return { status: 204 };
  }
  throw notFound(`Unknown operation ${req.method} /tags`);
}

export function routeUsage(req: ApiRequest): ApiResponse {
  if (req.segments[0] === "usageplans") return usagePlans(req);
  if (req.segments[0] === "apikeys") return apiKeys(req);
  return tags(req);
}
