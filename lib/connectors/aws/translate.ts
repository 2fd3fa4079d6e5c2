import type { ApiSettingsSnapshot } from "@/lib/db/schema/apis";
import { enforcedScopes } from "@/lib/domain/openapi/scopes";
import { HTTP_METHODS, isObject, type JsonObject } from "@/lib/domain/openapi/types";
import type { DeploymentInput, PlanNote, PlanRefusal, SecurityScheme } from "../types";
import { withAwsModelNames } from "./model-names";
import { cleanComponents, cleanParameter, cleanRequestBody, cleanResponse, mapValues } from "./schema-cleanup";

/**
 * Meridian's revision → the OpenAPI document API Gateway imports: one HTTP proxy integration per
 * method, API keys or a Lambda token authorizer, OPTIONS mocks for CORS. Pure: no I/O.
 */

export const API_KEY_SCHEME = "api_key";
export const AUTHORIZER_SCHEME = "meridian_oauth2";
/** How long API Gateway caches an authorizer's answer for one token. */
export const AUTHORIZER_TTL_SECONDS = 300;
/** API Gateway's maximum for REST API integrations. */
const INTEGRATION_TIMEOUT_MS = 29_000;

export interface AwsTarget {
  region: string;
  authorizerArn?: string;
  authorizerRoleArn?: string;
}

export interface AwsDocument {
  document: JsonObject;
  refusals: PlanRefusal[];
  notes: PlanNote[];
  /** Whether any method needs an API key: only then do usage plans mean anything. */
  usesApiKeys: boolean;
  usesAuthorizer: boolean;
}

/** Meridian's security for one operation: its override, else the API's. */
export function operationSecurity(settings: ApiSettingsSnapshot, method: string, path: string): SecurityScheme {
  return settings.operationPolicies[`${method.toUpperCase()} ${path}`]?.security ?? settings.security.scheme;
}

/** The Lambda integration ARN API Gateway invokes for a token authorizer. */
export function authorizerUri(region: string, lambdaArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${lambdaArn}/invocations`;
}

/** Path parameters of a template, `{proxy+}` as `proxy`; undefined when a segment mixes a parameter with text. */
export function pathParameters(path: string): string[] | undefined {
  const names: string[] = [];
  for (const segment of path.split("/")) {
    if (!segment.includes("{") && !segment.includes("}")) continue;
    const m = /^\{([A-Za-z0-9._-]+)(\+?)\}$/.exec(segment);
    if (!m) return undefined;
    names.push(m[1]);
  }
  return names;
}

function mergeParameters(shared: unknown, own: unknown, pathParams: string[]): unknown[] {
  const byKey = new Map<string, unknown>();
  const keyOf = (p: unknown, i: number) =>
    isObject(p) && typeof p.name === "string" ? `${p.in}:${p.name}` : `ref:${i}:${JSON.stringify(p)}`;
  (Array.isArray(shared) ? shared : []).forEach((p, i) => byKey.set(keyOf(p, i), p));
  (Array.isArray(own) ? own : []).forEach((p, i) => byKey.set(keyOf(p, i + 1000), p));
  // API Gateway maps only declared method parameters into the integration.
  for (const name of pathParams)
    if (!byKey.has(`path:${name}`)) byKey.set(`path:${name}`, { name, in: "path", required: true, schema: { type: "string" } });
  return [...byKey.values()].map(cleanParameter);
}

function withoutAmazonExtensions(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith("x-amazon-apigateway")));
}

function proxyIntegration(endpoint: string, method: string, path: string, pathParams: string[]): JsonObject {
  return {
    type: "http_proxy",
    httpMethod: method.toUpperCase(),
    uri: `${endpoint}${path.replace(/\{([^}+]+)\+\}/g, "{$1}")}`,
    ...(pathParams.length
      ? { requestParameters: Object.fromEntries(pathParams.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`])) }
      : {}),
    passthroughBehavior: "when_no_match",
    connectionType: "INTERNET",
    timeoutInMillis: INTEGRATION_TIMEOUT_MS,
  };
}

/** The response headers of a CORS preflight, as API Gateway static values ('quoted'). */
export function corsHeaders(cors: ApiSettingsSnapshot["cors"]): Record<string, string> {
  const origin = cors.origins.length === 0 || cors.origins.includes("*") ? "*" : cors.origins[0];
  const methods = [...new Set([...cors.methods.map((m) => m.toUpperCase()), "OPTIONS"])];
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": methods.join(","),
    "Access-Control-Allow-Headers": cors.headers.length ? cors.headers.join(",") : "*",
    ...(cors.credentials ? { "Access-Control-Allow-Credentials": "true" } : {}),
  };
}

function corsPreflight(cors: ApiSettingsSnapshot["cors"], pathParams: string[]): JsonObject {
  const headers = corsHeaders(cors);
  return {
    summary: "CORS preflight",
    ...(pathParams.length
      ? { parameters: pathParams.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })) }
      : {}),
    responses: {
      "200": {
        description: "CORS preflight",
        headers: Object.fromEntries(Object.keys(headers).map((h) => [h, { schema: { type: "string" } }])),
      },
    },
    "x-amazon-apigateway-integration": {
      type: "mock",
      requestTemplates: { "application/json": '{"statusCode": 200}' },
      passthroughBehavior: "when_no_match",
      responses: {
        default: {
          statusCode: "200",
          responseParameters: Object.fromEntries(Object.entries(headers).map(([h, v]) => [`method.response.header.${h}`, `'${v}'`])),
        },
      },
    },
  };
}

export function buildAwsDocument(input: DeploymentInput, target: AwsTarget): AwsDocument {
  const { settings } = input.revision;
  const definition = input.revision.definition;
  const endpoint = input.endpoint.replace(/\/+$/, "");
  const refusals: PlanRefusal[] = [];
  let usesApiKeys = false;
  let usesAuthorizer = false;
  const oauthWithoutAuthorizer: string[] = [];
  const scopedOperations: string[] = [];
  const paths: JsonObject = {};
  let operations = 0;

  for (const [path, rawItem] of Object.entries(isObject(definition.paths) ? definition.paths : {})) {
    if (!isObject(rawItem)) continue;
    operations += HTTP_METHODS.filter((method) => isObject(rawItem[method])).length;
    const pathParams = pathParameters(path);
    if (!pathParams) {
      refusals.push({
        feature: `Path ${path}`,
        reason: "API Gateway path parameters must span a whole path segment, such as /orders/{orderId}.",
      });
      continue;
    }
    const item: JsonObject = {};
    for (const method of HTTP_METHODS) {
      const raw = rawItem[method];
      if (!isObject(raw)) continue;
      if (method === "trace") {
        refusals.push({ feature: `TRACE ${path}`, reason: "API Gateway REST APIs have no TRACE method." });
        continue;
      }
      const {
        security: _security,
        callbacks: _callbacks,
        servers: _servers,
        parameters,
        requestBody,
        responses,
        ...rest
      } = withoutAmazonExtensions(raw);
      const op: JsonObject = { ...rest, parameters: mergeParameters(rawItem.parameters, parameters, pathParams) };
      if ((op.parameters as unknown[]).length === 0) delete op.parameters;
      if (requestBody !== undefined) op.requestBody = cleanRequestBody(requestBody);
      op.responses =
        isObject(responses) && Object.keys(responses).length
          ? mapValues(responses, cleanResponse)
          : { default: { description: "Response" } };

      const scheme = operationSecurity(settings, method, path);
      if (scheme === "apiKey") {
        usesApiKeys = true;
        op.security = [{ [API_KEY_SCHEME]: [] }];
      } else if (scheme === "oauth2") {
        const scopes = enforcedScopes(settings, `${method.toUpperCase()} ${path}`);
        if (scopes.length) scopedOperations.push(`${method.toUpperCase()} ${path} (${scopes.join(" ")})`);
        if (target.authorizerArn) {
          usesAuthorizer = true;
          op.security = [{ [AUTHORIZER_SCHEME]: [] }];
        } else {
          oauthWithoutAuthorizer.push(`${method.toUpperCase()} ${path}`);
        }
      }
      op["x-amazon-apigateway-integration"] = proxyIntegration(endpoint, method, path, pathParams);
      item[method] = op;
    }
    // A preflight the document defines itself goes to the backend like any other operation.
    if (settings.cors.enabled && !item.options && Object.keys(item).length) item.options = corsPreflight(settings.cors, pathParams);
    if (Object.keys(item).length) paths[path] = item;
  }

  // ImportRestApi takes a document without methods, but no stage can then be deployed.
  if (operations === 0) {
    refusals.push({
      feature: "Operations",
      reason:
        "API Gateway refuses to deploy a REST API without methods, and this revision has no operations (a document with webhooks only describes calls the API makes, not requests it serves).",
    });
  }
  if (oauthWithoutAuthorizer.length) {
    refusals.push({
      feature: "OAuth2 security",
      reason: `${oauthWithoutAuthorizer.join(", ")} require${oauthWithoutAuthorizer.length === 1 ? "s" : ""} Meridian's OAuth2 tokens, which API Gateway checks with a Lambda authorizer: set the environment's Lambda authorizer ARN.`,
    });
  }
  if (scopedOperations.length) {
    // A method's authorizationScopes are checked by COGNITO_USER_POOLS authorizers only; a
    // Lambda authorizer is given the token and the method ARN, never the method's scopes.
    refusals.push({
      feature: "OAuth2 scopes",
      reason: `${scopedOperations.join(", ")} require${scopedOperations.length === 1 ? "s" : ""} OAuth2 scopes. API Gateway checks a method's authorization scopes only with a Cognito user pool authorizer; Meridian's tokens are checked by a Lambda authorizer, which is not given the method's scopes, so every subscribed token would be let through. Deploy this API to a gateway that enforces scopes, or remove the scopes.`,
    });
  }
  if (usesApiKeys && settings.security.apiKeyHeader.toLowerCase() !== "x-api-key") {
    refusals.push({
      feature: "API key header",
      reason: `API Gateway reads API keys from the x-api-key header only; this API expects them in ${settings.security.apiKeyHeader}.`,
    });
  }
  if (settings.cors.enabled && settings.cors.origins.length > 1 && !settings.cors.origins.includes("*")) {
    refusals.push({
      feature: "CORS origins",
      reason: `API Gateway's OPTIONS mock answers with one fixed Access-Control-Allow-Origin; this API allows ${settings.cors.origins.length} origins.`,
    });
  }

  const securitySchemes: JsonObject = {};
  if (usesApiKeys) securitySchemes[API_KEY_SCHEME] = { type: "apiKey", name: "x-api-key", in: "header" };
  if (usesAuthorizer && target.authorizerArn) {
    securitySchemes[AUTHORIZER_SCHEME] = {
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "custom",
      "x-amazon-apigateway-authorizer": {
        type: "token",
        authorizerUri: authorizerUri(target.region, target.authorizerArn),
        ...(target.authorizerRoleArn ? { authorizerCredentials: target.authorizerRoleArn } : {}),
        identitySource: "method.request.header.Authorization",
        authorizerResultTtlInSeconds: AUTHORIZER_TTL_SECONDS,
      },
    };
  }
  const components = cleanComponents(definition.components);
  if (Object.keys(securitySchemes).length) components.securitySchemes = securitySchemes;

  const built: JsonObject = {
    openapi: "3.0.1",
    info: { title: input.api.name, version: input.api.version, ...(input.api.description ? { description: input.api.description } : {}) },
    ...(Array.isArray(definition.tags) ? { tags: definition.tags } : {}),
    paths,
    ...(Object.keys(components).length ? { components } : {}),
    ...(usesApiKeys ? { "x-amazon-apigateway-api-key-source": "HEADER" } : {}),
  };
  const { document, renamed } = withAwsModelNames(built);
  const notes: PlanNote[] = [];
  if (renamed.size) notes.push({ feature: "Schema names", note: modelRenameNote(renamed) });
  return { document, refusals, notes, usesApiKeys, usesAuthorizer };
}

const LISTED_RENAMES = 10;

function modelRenameNote(renamed: Map<string, string>): string {
  const pairs = [...renamed].map(([from, to]) => `${from} → ${to}`);
  const listed =
    pairs.length > LISTED_RENAMES
      ? `${pairs.slice(0, LISTED_RENAMES).join(", ")} and ${pairs.length - LISTED_RENAMES} more`
      : pairs.join(", ");
  return `API Gateway model names must be alphanumeric: ${renamed.size} schema${renamed.size === 1 ? " is" : "s are"} renamed on API Gateway, with every reference to them (${listed}). Requests and responses are unchanged; the exported document and generated SDKs use the new names.`;
}
