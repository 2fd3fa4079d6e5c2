import YAML from "yaml";
import { badRequest } from "./errors";
import { newId, type EmuAuthorizer, type EmuIntegration, type EmuMethod, type EmuResource, type EmuSnapshot } from "./store";

/**
 * ImportRestApi / PutRestApi: an OpenAPI 3.0 (or Swagger 2.0) document with API Gateway's
 * extensions → resources, methods, integrations and authorizers, refused with the kind of
 * message API Gateway gives when something would not work.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const METHODS: Record<string, string> = {
  get: "GET",
  put: "PUT",
  post: "POST",
  delete: "DELETE",
  options: "OPTIONS",
  head: "HEAD",
  patch: "PATCH",
  "x-amazon-apigateway-any-method": "ANY",
};
const INTEGRATION_TYPES: Record<string, EmuIntegration["type"]> = {
  http_proxy: "HTTP_PROXY",
  http: "HTTP",
  mock: "MOCK",
  aws_proxy: "AWS_PROXY",
  aws: "AWS",
};
const AUTHORIZER_URI =
  /^arn:aws(-[a-z]+)*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/arn:aws(-[a-z]+)*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?\/invocations$/;

export interface ImportResult extends EmuSnapshot {
  warnings: string[];
}

export function parseDefinition(body: Buffer): Json {
  const text = body.toString("utf8").trim();
  if (!text) throw badRequest("Invalid OpenAPI input: the request body is empty.");
  let doc: unknown;
  try {
    doc = text.startsWith("{") ? JSON.parse(text) : YAML.parse(text);
  } catch {
    throw badRequest("Invalid OpenAPI input: the document is neither JSON nor YAML.");
  }
  if (!isObject(doc)) throw badRequest("Invalid OpenAPI input: the document is not an object.");
  return doc;
}

function resolveRef(doc: Json, value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref !== "string") return value;
  const parts = value.$ref.replace(/^#\//, "").split("/");
  let current: unknown = doc;
  for (const p of parts) current = isObject(current) ? current[p.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return current;
}

export function importDefinition(doc: Json): ImportResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const version = typeof doc.openapi === "string" ? doc.openapi : typeof doc.swagger === "string" ? doc.swagger : undefined;
  if (!version || !(/^3\.0\.\d+$/.test(version) || version === "2.0")) {
    throw badRequest(
      `Invalid OpenAPI input: API Gateway imports OpenAPI 3.0 and Swagger 2.0 documents${version ? `, not ${version}` : ""}.`,
    );
  }
  const info = isObject(doc.info) ? doc.info : {};
  if (typeof info.title !== "string" || !info.title.trim()) errors.push("Unable to create the REST API: info.title is required.");
  if (!isObject(doc.paths)) errors.push("Unable to create the REST API: the document has no paths object.");
  // Every schema becomes a model, whose name API Gateway takes only when it is alphanumeric.
  const models =
    isObject(doc.components) && isObject(doc.components.schemas)
      ? doc.components.schemas
      : isObject(doc.definitions)
        ? doc.definitions
        : {};
  for (const name of Object.keys(models)) {
    if (!/^[A-Za-z0-9]+$/.test(name)) errors.push(`Unable to create model for '${name}': Model name must be alphanumeric: ${name}`);
  }
  const schemes = (
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : isObject(doc.securityDefinitions)
        ? doc.securityDefinitions
        : {}
  ) as Json;
  const apiKeySource = doc["x-amazon-apigateway-api-key-source"] ?? "HEADER";
  if (apiKeySource !== "HEADER" && apiKeySource !== "AUTHORIZER")
    errors.push(`Invalid value for x-amazon-apigateway-api-key-source: ${String(apiKeySource)}.`);

  const resources = new Map<string, EmuResource>();
  const root: EmuResource = { id: newId(10), path: "/", resourceMethods: {} };
  resources.set("/", root);
  const authorizers = new Map<string, EmuAuthorizer>();

  const resourceFor = (path: string): EmuResource | undefined => {
    let parent = root;
    let current = "";
    for (const part of path.split("/").filter(Boolean)) {
      current += `/${part}`;
      let r = resources.get(current);
      if (!r) {
        const variable = /^\{[^}]+\}$/.test(part);
        const sibling = [...resources.values()].find(
          (s) => s.parentId === parent.id && /^\{[^}]+\}$/.test(s.pathPart ?? "") && s.pathPart !== part,
        );
        if (variable && sibling) {
          errors.push(
            `Unable to create resource at path '${current}': A sibling (${sibling.pathPart}) of this resource already has a variable path part -- only one is allowed`,
          );
          return undefined;
        }
        if (!/^(\{[A-Za-z0-9._-]+\+?\}|[A-Za-z0-9._~:@!$&'()*+,;=-]+)$/.test(part)) {
          errors.push(
            `Unable to create resource at path '${current}': Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.`,
          );
          return undefined;
        }
        r = { id: newId(6), parentId: parent.id, pathPart: part, path: current, resourceMethods: {} };
        resources.set(current, r);
      }
      parent = r;
    }
    return parent;
  };

  const authorizerFor = (name: string, scheme: Json, where: string): EmuAuthorizer | undefined => {
    const existing = authorizers.get(name);
    if (existing) return existing;
    const def = scheme["x-amazon-apigateway-authorizer"];
    if (!isObject(def)) {
      errors.push(`${where}: security scheme '${name}' has x-amazon-apigateway-authtype but no x-amazon-apigateway-authorizer.`);
      return undefined;
    }
    const type = String(def.type ?? "").toUpperCase();
    if (type !== "TOKEN" && type !== "REQUEST") {
      errors.push(`Unable to create authorizer '${name}': type must be token or request.`);
      return undefined;
    }
    if (typeof def.authorizerUri !== "string" || !AUTHORIZER_URI.test(def.authorizerUri)) {
      errors.push(
        `Unable to create authorizer '${name}': Invalid Authorizer URI: ${String(def.authorizerUri)}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.`,
      );
      return undefined;
    }
    const identitySource =
      typeof def.identitySource === "string"
        ? def.identitySource
        : type === "TOKEN"
          ? `method.request.header.${String(scheme.name ?? "Authorization")}`
          : "";
    if (type === "TOKEN" && !/^method\.request\.header\.[A-Za-z0-9-]+$/.test(identitySource)) {
      errors.push(`Unable to create authorizer '${name}': Invalid identity source for a TOKEN authorizer: ${identitySource}.`);
      return undefined;
    }
    const ttl = def.authorizerResultTtlInSeconds === undefined ? 300 : Number(def.authorizerResultTtlInSeconds);
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
      errors.push(`Unable to create authorizer '${name}': authorizerResultTtlInSeconds must be between 0 and 3600.`);
    const authorizer: EmuAuthorizer = {
      id: newId(6),
      name,
      type,
      authorizerUri: def.authorizerUri,
      ...(typeof def.authorizerCredentials === "string" ? { authorizerCredentials: def.authorizerCredentials } : {}),
      identitySource,
      authorizerResultTtlInSeconds: ttl,
    };
    authorizers.set(name, authorizer);
    return authorizer;
  };

  for (const [path, rawItem] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    if (!path.startsWith("/")) {
      errors.push(`Unable to create resource at path '${path}': a path must start with '/'.`);
      continue;
    }
    const item = resolveRef(doc, rawItem);
    if (!isObject(item)) continue;
    const resource = resourceFor(path);
    if (!resource) continue;
    const pathVariables = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);

    for (const [key, httpMethod] of Object.entries(METHODS)) {
      const op = item[key];
      if (!isObject(op)) continue;
      const where = `Unable to put method '${httpMethod}' on resource at path '${path}'`;
      const requestParameters: Record<string, boolean> = {};
      for (const rawParam of [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(op.parameters) ? op.parameters : []),
      ]) {
        const p = resolveRef(doc, rawParam);
        if (!isObject(p) || typeof p.name !== "string") continue;
        const location = p.in === "path" ? "path" : p.in === "query" ? "querystring" : p.in === "header" ? "header" : undefined;
        if (!location) continue;
        if (location === "path" && !pathVariables.includes(p.name))
          warnings.push(`${where}: path parameter '${p.name}' is not in the path.`);
        requestParameters[`method.request.${location}.${p.name}`] = p.required === true || location === "path";
      }

      let authorizationType: EmuMethod["authorizationType"] = "NONE";
      let authorizerId: string | undefined;
      let apiKeyRequired = false;
      const security = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
      for (const requirement of security) {
        if (!isObject(requirement)) continue;
        for (const name of Object.keys(requirement)) {
          const scheme = schemes[name];
          if (!isObject(scheme)) {
            errors.push(`${where}: security scheme '${name}' is not defined.`);
            continue;
          }
          if (scheme["x-amazon-apigateway-authtype"] !== undefined || scheme["x-amazon-apigateway-authorizer"] !== undefined) {
            const authorizer = authorizerFor(name, scheme, where);
            if (authorizer) {
              authorizationType = "CUSTOM";
              authorizerId = authorizer.id;
            }
          } else if (scheme.type === "apiKey" && String(scheme.name).toLowerCase() === "x-api-key" && scheme.in === "header") {
            apiKeyRequired = true;
          } else {
            warnings.push(`${where}: security scheme '${name}' (${String(scheme.type)}) is not supported and was ignored.`);
          }
        }
      }

      const methodResponses: EmuMethod["methodResponses"] = {};
      const declaredHeaders = new Map<string, Set<string>>();
      for (const [status, rawResponse] of Object.entries(isObject(op.responses) ? op.responses : {})) {
        if (!/^[1-5]\d\d$/.test(status)) continue;
        const response = resolveRef(doc, rawResponse);
        const headers = isObject(response) && isObject(response.headers) ? Object.keys(response.headers) : [];
        declaredHeaders.set(status, new Set(headers));
        methodResponses[status] = {
          statusCode: status,
          ...(headers.length ? { responseParameters: Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false])) } : {}),
        };
      }

      const method: EmuMethod = {
        httpMethod,
        authorizationType,
        ...(authorizerId ? { authorizerId } : {}),
        apiKeyRequired,
        ...(typeof op.operationId === "string" ? { operationName: op.operationId } : {}),
        requestParameters,
        methodResponses,
      };

      const rawIntegration = op["x-amazon-apigateway-integration"];
      if (rawIntegration === undefined) {
        warnings.push(`${where}: no x-amazon-apigateway-integration; the method has no integration.`);
      } else if (!isObject(rawIntegration)) {
        errors.push(`${where}: x-amazon-apigateway-integration must be an object.`);
      } else {
        const integration = importIntegration(
          rawIntegration,
          requestParameters,
          declaredHeaders,
          `Unable to put integration on '${httpMethod}' for resource at path '${path}'`,
          errors,
        );
        if (integration) method.methodIntegration = integration;
      }
      resource.resourceMethods[httpMethod] = method;
    }
  }

  if (errors.length) throw badRequest(`Errors found during import:\n\t${errors.join("\n\t")}`);
  return {
    name: String(info.title),
    ...(typeof info.version === "string" ? { version: info.version } : {}),
    ...(typeof info.description === "string" ? { description: info.description } : {}),
    apiKeySource: apiKeySource as "HEADER" | "AUTHORIZER",
    resources: [...resources.values()],
    authorizers: [...authorizers.values()],
    warnings,
  };
}

function importIntegration(
  raw: Json,
  methodParams: Record<string, boolean>,
  declaredHeaders: Map<string, Set<string>>,
  where: string,
  errors: string[],
): EmuIntegration | undefined {
  const type = INTEGRATION_TYPES[String(raw.type ?? "").toLowerCase()];
  if (!type) {
    errors.push(`${where}: Enumeration value for type must be one of http, http_proxy, mock, aws, aws_proxy; got ${String(raw.type)}.`);
    return undefined;
  }
  const integration: EmuIntegration = { type, timeoutInMillis: raw.timeoutInMillis === undefined ? 29_000 : Number(raw.timeoutInMillis) };
  if (!Number.isInteger(integration.timeoutInMillis) || integration.timeoutInMillis < 50 || integration.timeoutInMillis > 29_000) {
    errors.push(`${where}: Timeout should be between 50 ms and 29000 ms.`);
  }
  if (type === "HTTP" || type === "HTTP_PROXY") {
    let valid = false;
    try {
      const u = new URL(String(raw.uri ?? "").replace(/\{[^}]+\}/g, "x"));
      valid = u.protocol === "http:" || u.protocol === "https:";
    } catch {
      valid = false;
    }
    if (!valid) {
      errors.push(`${where}: Invalid HTTP endpoint specified for URI.`);
      return undefined;
    }
    if (typeof raw.httpMethod !== "string" || !/^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|ANY)$/i.test(raw.httpMethod)) {
      errors.push(`${where}: Enumeration value for HttpMethod must be non-empty.`);
      return undefined;
    }
    integration.uri = String(raw.uri);
    integration.httpMethod = raw.httpMethod.toUpperCase();
    integration.connectionType = typeof raw.connectionType === "string" ? raw.connectionType : "INTERNET";
  }
  const mappings = isObject(raw.requestParameters) ? raw.requestParameters : {};
  for (const [target, source] of Object.entries(mappings)) {
    if (!/^integration\.request\.(path|querystring|header)\.[A-Za-z0-9._-]+$/.test(target)) {
      errors.push(`${where}: Invalid mapping expression specified: ${target}`);
      continue;
    }
    const s = String(source);
    if (s.startsWith("method.request.") && !(s in methodParams))
      errors.push(
        `${where}: Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: ${s}]`,
      );
  }
  for (const variable of [...(integration.uri ?? "").matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
    if (!(`integration.request.path.${variable}` in mappings))
      errors.push(
        `${where}: Invalid mapping expression specified: the URI uses {${variable}}, which no integration.request.path.${variable} mapping provides.`,
      );
  }
  if (Object.keys(mappings).length)
    integration.requestParameters = Object.fromEntries(Object.entries(mappings).map(([k, v]) => [k, String(v)]));
  if (isObject(raw.requestTemplates))
    integration.requestTemplates = Object.fromEntries(Object.entries(raw.requestTemplates).map(([k, v]) => [k, String(v)]));
  if (typeof raw.passthroughBehavior === "string") integration.passthroughBehavior = raw.passthroughBehavior.toUpperCase();

  const responses = isObject(raw.responses) ? raw.responses : {};
  const integrationResponses: NonNullable<EmuIntegration["integrationResponses"]> = {};
  for (const [pattern, rawResponse] of Object.entries(responses)) {
    if (!isObject(rawResponse)) continue;
    const statusCode = String(rawResponse.statusCode ?? "");
    if (!/^[1-5]\d\d$/.test(statusCode)) {
      errors.push(`${where}: integration response '${pattern}' needs a statusCode.`);
      continue;
    }
    const params = isObject(rawResponse.responseParameters) ? rawResponse.responseParameters : {};
    for (const target of Object.keys(params)) {
      const header = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
      if (!header || !declaredHeaders.get(statusCode)?.has(header)) {
        errors.push(
          `${where}: Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${target}]`,
        );
      }
    }
    integrationResponses[statusCode] = {
      statusCode,
      ...(Object.keys(params).length
        ? { responseParameters: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) }
        : {}),
      ...(isObject(rawResponse.responseTemplates)
        ? { responseTemplates: Object.fromEntries(Object.entries(rawResponse.responseTemplates).map(([k, v]) => [k, String(v)])) }
        : {}),
    };
  }
  if (Object.keys(integrationResponses).length) integration.integrationResponses = integrationResponses;
  return integration;
}
