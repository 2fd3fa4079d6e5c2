import { badRequest, conflict, notFound } from "./errors";
import { exportStage } from "./export-openapi";
import { importDefinition, parseDefinition } from "./import-openapi";
import { accepted, jsonBody, ok, paginate, param, patchOps, validTags, type ApiRequest, type ApiResponse } from "./request";
import { newId, nowSeconds, type EmuDeployment, type EmuMethod, type EmuResource, type EmuRestApi, type EmuStage } from "./store";

/** /restapis and everything under it: import, overwrite, deployments, stages, resources, exports. */

const STAGE_NAME = /^[A-Za-z0-9_]{1,128}$/;

export function restApiView(api: EmuRestApi, warnings?: string[]) {
  return {
    id: api.id,
    name: api.name,
    ...(api.description ? { description: api.description } : {}),
    ...(api.version ? { version: api.version } : {}),
    createdDate: api.createdDate,
    apiKeySource: api.apiKeySource,
    endpointConfiguration: api.endpointConfiguration,
    tags: api.tags,
    rootResourceId: api.rootResourceId,
    disableExecuteApiEndpoint: false,
    ...(warnings?.length ? { warnings } : {}),
  };
}

const methodView = (m: EmuMethod) => ({
  ...m,
  ...(m.methodIntegration ? { methodIntegration: { ...m.methodIntegration, cacheNamespace: "", cacheKeyParameters: [] } } : {}),
});

function resourceView(r: EmuResource, embedMethods: boolean) {
  return {
    id: r.id,
    ...(r.parentId ? { parentId: r.parentId } : {}),
    ...(r.pathPart ? { pathPart: r.pathPart } : {}),
    path: r.path,
    ...(Object.keys(r.resourceMethods).length
      ? { resourceMethods: Object.fromEntries(Object.entries(r.resourceMethods).map(([k, m]) => [k, embedMethods ? methodView(m) : {}])) }
      : {}),
  };
}

export const stageView = (s: EmuStage) => ({
  deploymentId: s.deploymentId,
  stageName: s.stageName,
  ...(s.description ? { description: s.description } : {}),
  cacheClusterEnabled: false,
  cacheClusterStatus: "NOT_AVAILABLE",
  methodSettings: s.methodSettings,
  ...(Object.keys(s.variables).length ? { variables: s.variables } : {}),
  tracingEnabled: false,
  tags: s.tags,
  createdDate: s.createdDate,
  lastUpdatedDate: s.lastUpdatedDate,
});

const deploymentView = (d: EmuDeployment) => ({
  id: d.id,
  ...(d.description ? { description: d.description } : {}),
  createdDate: d.createdDate,
});

/** CreateRestApi's endpointConfiguration: exactly one of EDGE, REGIONAL or PRIVATE. */
function endpointConfigurationOf(value: unknown): { types: string[] } {
  const types = (value as { types?: unknown } | null)?.types;
  if (!Array.isArray(types) || types.length !== 1 || !["EDGE", "REGIONAL", "PRIVATE"].includes(String(types[0]))) {
    throw badRequest("Invalid endpoint configuration: types must hold exactly one of EDGE, REGIONAL or PRIVATE.");
  }
  return { types: [String(types[0])] };
}

export function restApiOrThrow(req: ApiRequest, id: string): EmuRestApi {
  const api = req.state.restApis.get(id);
  if (!api) throw notFound(`Invalid API identifier specified ${req.state.accountId}:${id}`);
  return api;
}

function stageOrThrow(req: ApiRequest, api: EmuRestApi, name: string): EmuStage {
  const stage = api.stages.get(name);
  if (!stage) throw notFound(`Invalid Stage identifier specified`);
  return stage;
}

/** Writes an imported definition into an API (overwrite: what was there is replaced). */
function applyDefinition(api: EmuRestApi, req: ApiRequest): string[] {
  const imported = importDefinition(parseDefinition(req.body));
  if (param(req, "failonwarnings") === "true" && imported.warnings.length)
    throw badRequest(`Warnings found during import:\n\t${imported.warnings.join("\n\t")}`);
  api.name = imported.name;
  api.version = imported.version;
  api.description = imported.description;
  api.apiKeySource = imported.apiKeySource;
  api.resources = new Map(imported.resources.map((r) => [r.id, r]));
  api.rootResourceId = imported.resources.find((r) => r.path === "/")!.id;
  api.authorizers = new Map(imported.authorizers.map((a) => [a.id, a]));
  return imported.warnings;
}

function createDeployment(req: ApiRequest, api: EmuRestApi): ApiResponse {
  const body = jsonBody(req);
  const methods = [...api.resources.values()].flatMap((r) => Object.values(r.resourceMethods).map((m) => ({ r, m })));
  if (!methods.length) throw badRequest("The REST API doesn't contain any methods");
  const missing = methods.find(({ m }) => !m.methodIntegration);
  if (missing) throw badRequest(`No integration defined for method ${missing.m.httpMethod} ${missing.r.path}`);
  const stageName = typeof body.stageName === "string" ? body.stageName : undefined;
  if (stageName !== undefined && !STAGE_NAME.test(stageName)) throw badRequest("Stage name only allows a-zA-Z0-9_");
  const deployment: EmuDeployment = {
    id: newId(6),
    ...(typeof body.description === "string" ? { description: body.description } : {}),
    createdDate: nowSeconds(),
    snapshot: structuredClone({
      resources: [...api.resources.values()],
      authorizers: [...api.authorizers.values()],
      apiKeySource: api.apiKeySource,
      name: api.name,
      version: api.version,
      description: api.description,
    }),
  };
  api.deployments.set(deployment.id, deployment);
  if (stageName) {
    const existing = api.stages.get(stageName);
    if (existing) {
      // As on AWS, stageDescription applies only to a stage this call creates.
      existing.deploymentId = deployment.id;
      existing.lastUpdatedDate = nowSeconds();
    } else {
      const now = nowSeconds();
      api.stages.set(stageName, {
        stageName,
        deploymentId: deployment.id,
        ...(typeof body.stageDescription === "string" ? { description: body.stageDescription } : {}),
        createdDate: now,
        lastUpdatedDate: now,
        methodSettings: {},
        variables: {},
        tags: {},
      });
    }
  }
  return ok(deploymentView(deployment), 201);
}

const SETTING_FIELDS: Record<string, "throttlingRateLimit" | "throttlingBurstLimit"> = {
  "throttling/rateLimit": "throttlingRateLimit",
  "throttling/burstLimit": "throttlingBurstLimit",
};
const unescape = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

function updateStage(req: ApiRequest, api: EmuRestApi, stage: EmuStage): ApiResponse {
  for (const op of patchOps(req)) {
    if (op.path === "/description" && op.op === "replace") stage.description = op.value ?? "";
    else if (op.path === "/deploymentId" && op.op === "replace") {
      if (!op.value || !api.deployments.has(op.value)) throw badRequest(`Invalid deployment identifier specified`);
      stage.deploymentId = op.value;
    } else if (op.path.startsWith("/variables/")) {
      const name = op.path.slice("/variables/".length);
      if (op.op === "remove") delete stage.variables[name];
      else stage.variables[name] = op.value ?? "";
    } else {
      // /{resourcePath}/{httpMethod}[/{setting}], "/" escaped as ~1 inside the resource path.
      const [, resource, method, ...rest] = op.path.split("/");
      const setting = rest.join("/");
      if (!resource || !method || !(method === "*" || /^[A-Z]+$/.test(method))) throw badRequest(`Invalid patch path ${op.path}`);
      const key = `${unescape(resource)}/${method}`;
      if (op.op === "remove" && !setting) {
        delete stage.methodSettings[key];
        continue;
      }
      const field = SETTING_FIELDS[setting];
      if (!field) throw badRequest(`Invalid patch path ${op.path}`);
      if (op.op === "remove") {
        delete stage.methodSettings[key]?.[field];
        continue;
      }
      if (op.op !== "replace") throw badRequest(`Invalid patch operation specified. Must be 'replace' for path ${op.path}`);
      const value = Number(op.value);
      if (!Number.isFinite(value) || value < 0 || (field === "throttlingBurstLimit" && !Number.isInteger(value)))
        throw badRequest(`Invalid value for ${setting}: ${op.value}`);
      stage.methodSettings[key] = { ...stage.methodSettings[key], [field]: value };
    }
  }
  stage.lastUpdatedDate = nowSeconds();
  return ok(stageView(stage));
}

export function routeRestApis(req: ApiRequest): ApiResponse {
  const { state, method, segments } = req;
  const [, id, sub, subId, subSub, exportType] = segments;

  if (segments.length === 1) {
    if (method === "GET")
      return ok(
        paginate(
          req,
          [...state.restApis.values()].map((a) => restApiView(a)),
        ),
      );
    if (method === "POST") {
      const now = nowSeconds();
      const api: EmuRestApi = {
        id: newId(),
        name: "",
        createdDate: now,
        apiKeySource: "HEADER",
        endpointConfiguration: { types: [(param(req, "endpointConfigurationTypes") ?? "EDGE").toUpperCase()] },
        tags: {},
        rootResourceId: "",
        resources: new Map(),
        authorizers: new Map(),
        deployments: new Map(),
        stages: new Map(),
      };
      let warnings: string[] = [];
      if (param(req, "mode") === "import") {
        warnings = applyDefinition(api, req);
      } else {
        const body = jsonBody(req);
        if (typeof body.name !== "string" || !body.name) throw badRequest("Invalid REST API name specified");
        for (const field of ["description", "version"] as const)
          if (body[field] !== undefined && typeof body[field] !== "string") throw badRequest(`Invalid ${field}: expected a string.`);
        if (body.apiKeySource !== undefined && body.apiKeySource !== "HEADER" && body.apiKeySource !== "AUTHORIZER")
          throw badRequest(`Invalid API Key Source specified: ${String(body.apiKeySource)}`);
        const rootId = newId(10);
        Object.assign(api, {
          name: body.name,
          description: body.description,
          version: body.version,
          tags: validTags(body.tags),
          rootResourceId: rootId,
          ...(body.apiKeySource ? { apiKeySource: body.apiKeySource } : {}),
          ...(body.endpointConfiguration !== undefined
            ? { endpointConfiguration: endpointConfigurationOf(body.endpointConfiguration) }
            : {}),
        });
        api.resources.set(rootId, { id: rootId, path: "/", resourceMethods: {} });
      }
      state.restApis.set(api.id, api);
      return ok(restApiView(api, warnings), 201);
    }
  }
  if (!id) throw notFound("Unknown operation");
  const api = restApiOrThrow(req, id);

  if (segments.length === 2) {
    if (method === "GET") return ok(restApiView(api));
    if (method === "DELETE") {
      state.restApis.delete(id);
      for (const plan of state.usagePlans.values()) plan.apiStages = plan.apiStages.filter((s) => s.apiId !== id);
      return accepted();
    }
    if (method === "PUT") {
      const mode = param(req, "mode") ?? "merge";
      if (mode !== "overwrite" && mode !== "merge") throw badRequest(`Invalid mode: ${mode}`);
      const warnings = applyDefinition(api, req);
      return ok(restApiView(api, warnings));
    }
  }

  if (sub === "deployments") {
    if (!subId && method === "POST") return createDeployment(req, api);
    if (!subId && method === "GET") return ok(paginate(req, [...api.deployments.values()].map(deploymentView)));
    if (subId) {
      const deployment = api.deployments.get(subId);
      if (!deployment) throw notFound("Invalid Deployment identifier specified");
      if (method === "GET") return ok(deploymentView(deployment));
      if (method === "DELETE") {
        if ([...api.stages.values()].some((s) => s.deploymentId === subId))
          throw badRequest("Active stages pointing to this deployment must be moved or deleted");
        api.deployments.delete(subId);
        return accepted();
      }
    }
  }

  if (sub === "stages") {
    if (!subId && method === "GET") return ok({ item: [...api.stages.values()].map(stageView) });
    if (!subId && method === "POST") {
      const body = jsonBody(req);
      const name = String(body.stageName ?? "");
      if (!STAGE_NAME.test(name)) throw badRequest("Stage name only allows a-zA-Z0-9_");
      if (api.stages.has(name)) throw conflict("Stage already exists");
      if (typeof body.deploymentId !== "string" || !api.deployments.has(body.deploymentId))
        throw badRequest("Invalid deployment identifier specified");
      const now = nowSeconds();
      const stage: EmuStage = {
        stageName: name,
        deploymentId: body.deploymentId,
        ...(typeof body.description === "string" ? { description: body.description } : {}),
        createdDate: now,
        lastUpdatedDate: now,
        methodSettings: {},
        variables: {},
        tags: validTags(body.tags),
      };
      api.stages.set(name, stage);
      return ok(stageView(stage), 201);
    }
    if (subId) {
      const stage = stageOrThrow(req, api, subId);
      if (subSub === "exports" && method === "GET") {
        if (exportType !== "oas30" && exportType !== "swagger") throw badRequest(`Invalid export type: ${exportType}`);
        const deployment = api.deployments.get(stage.deploymentId)!;
        const doc = exportStage(api, stage, deployment, state.region, param(req, "extensions"));
        return {
          status: 200,
          raw: {
            contentType: "application/json",
            data: JSON.stringify(doc, null, 2),
            headers: { "content-disposition": `attachment; filename="${exportType}_${Math.floor(Date.now() / 1000)}.json"` },
          },
        };
      }
      if (!subSub && method === "GET") return ok(stageView(stage));
      if (!subSub && method === "PATCH") return updateStage(req, api, stage);
      if (!subSub && method === "DELETE") {
        api.stages.delete(subId);
        return accepted();
      }
    }
  }

  if (sub === "resources" && method === "GET") {
    const embed = (req.query.get("embed") ?? []).flatMap((e) => e.split(",")).includes("methods");
    if (subId) {
      const resource = api.resources.get(subId);
      if (!resource) throw notFound("Invalid Resource identifier specified");
      return ok(resourceView(resource, embed));
    }
    return ok(
      paginate(
        req,
        [...api.resources.values()].sort((a, b) => (a.path < b.path ? -1 : 1)).map((r) => resourceView(r, embed)),
      ),
    );
  }

  if (sub === "authorizers" && method === "GET" && !subId) return ok(paginate(req, [...api.authorizers.values()]));

  throw notFound(`Unknown operation ${method} /${segments.join("/")}`);
}
