import { MAX_COMPACT_EVENTS_PER_BATCH, MAX_EVENTS_PER_BATCH } from "@/lib/domain/gateway/snapshot";
import { authErrors, body, json, pathParam, problem, type Json } from "../helpers";

/** Deployments, the key manager and the gateway sync API. */
export const runtimeSchemas: Record<string, Json> = {
  Deployment: {
    type: "object",
    properties: {
      id: { type: "string" },
      apiId: { type: "string" },
      revisionId: { type: "string" },
      environment: { type: "string" },
      status: { type: "string", enum: ["pending", "deploying", "deployed", "failed", "undeploying", "undeployed", "drifted"] },
      steps: { type: "array", items: { type: "object", properties: { at: { type: "string" }, step: { type: "string" }, detail: { type: "string" } } } },
      error: { type: ["string", "null"] },
      reference: { type: ["object", "null"] },
    },
  },
  Job: {
    type: "object",
    properties: {
      id: { type: "string" },
      kind: { type: "string", examples: ["deployment.deploy", "deployment.undeploy", "deployment.sync-keys", "environment.discover"] },
      status: { type: "string", enum: ["queued", "running", "succeeded", "failed", "cancelled"] },
      attempts: { type: "integer" },
      maxAttempts: { type: "integer" },
      steps: { type: "array", items: { type: "object", properties: { at: { type: "string" }, step: { type: "string" }, detail: { type: "string" } } } },
      result: { type: ["object", "null"] },
      error: { type: ["string", "null"] },
      errorCode: { type: ["string", "null"] },
      nextAttemptAt: { type: ["string", "null"], format: "date-time" },
    },
  },
  EnvironmentPlan: {
    type: "object",
    properties: {
      environmentName: { type: "string" },
      type: { type: "string" },
      artifacts: { type: "array", items: { type: "object", properties: { kind: { type: "string" }, name: { type: "string" }, format: { type: "string", enum: ["json", "xml", "text"] }, content: {} } } },
      refusals: { type: "array", items: { type: "object", properties: { feature: { type: "string" }, reason: { type: "string" } } } },
    },
  },
  OAuthError: { type: "object", required: ["error"], properties: { error: { type: "string" }, error_description: { type: "string" } } },
};

const oauthError = (d: string): Json => json(d, { $ref: "#/components/schemas/OAuthError" });
const form = (properties: Record<string, Json>, required: string[]): Json => ({ required: true, content: { "application/x-www-form-urlencoded": { schema: { type: "object", required, properties } } } });
const gatewayAuth = [{ gatewayToken: [] }];

export const runtimePaths: Record<string, Json> = {
  "/api/v1/apis/{id}/deployments": {
    get: { tags: ["deployments"], summary: "Where the API is deployed", parameters: [pathParam("id")], responses: { "200": json("Deployments", { type: "object", properties: { items: { type: "array", items: { type: "object" } } } }), ...authErrors } },
    post: {
      tags: ["deployments"],
      summary: "Deploy a revision to environments (one deployment per environment)",
      parameters: [pathParam("id")],
      requestBody: body({ type: "object", required: ["revisionId", "environments"], properties: { revisionId: { type: "string" }, environments: { type: "array", items: { type: "string" } } } }),
      responses: {
        "202": json("Accepted: pull environments are deployed at once, push environments each get a job", { type: "object", properties: { deployments: { type: "array", items: { type: "object", properties: { id: { type: "string" }, status: { type: "string" }, jobId: { type: ["string", "null"] } } } } } }),
        "409": problem("Read-only environment, retired API, discovered API over its source, or a feature the environment cannot enforce (code conflict, `refusals` listed)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/apis/{id}/deployments/plan": {
    post: {
      tags: ["deployments"],
      summary: "What each environment would receive (native artifacts) and refuse; no side effect",
      parameters: [pathParam("id")],
      requestBody: body({ type: "object", required: ["revisionId", "environments"], properties: { revisionId: { type: "string" }, environments: { type: "array", items: { type: "string" } } } }),
      responses: { "200": json("One plan per environment", { type: "object", properties: { environments: { type: "array", items: { $ref: "#/components/schemas/EnvironmentPlan" } } } }), ...authErrors },
    },
  },
  "/api/v1/apis/{id}/deployments/{environment}": {
    delete: {
      tags: ["deployments"],
      summary: "Undeploy the API from an environment",
      parameters: [pathParam("id"), pathParam("environment"), { name: "deleteApi", in: "query", description: "Push gateways: delete the remote API too (AWS: the REST API)", schema: { type: "string", enum: ["true", "false"] } }],
      responses: { "202": json("An undeploy job runs", { type: "object", properties: { id: { type: "string" }, status: { type: "string" }, jobId: { type: "string" } } }), "204": { description: "Undeployed (also when it was not deployed)" }, ...authErrors },
    },
  },
  "/api/v1/jobs/{id}": {
    get: { tags: ["jobs"], summary: "A durable job: status, attempts, steps, result or error", parameters: [pathParam("id")], responses: { "200": json("The job", { $ref: "#/components/schemas/Job" }), "404": problem("No such job"), ...authErrors } },
  },
  "/api/v1/environments/{name}/discover": {
    post: { tags: ["environments"], summary: "Discover the APIs that run on the environment (queues a job)", parameters: [pathParam("name")], responses: { "202": json("The discovery job", { type: "object", properties: { jobId: { type: "string" }, status: { type: "string" } } }), "409": problem("Write-only environment or a type that cannot be discovered"), ...authErrors } },
  },
  "/api/v1/environments/{name}/discovered": {
    get: { tags: ["environments"], summary: "Discovered APIs: New, Updated (with a diff), Unchanged or Gone", parameters: [pathParam("name")], responses: { "200": json("Discovered APIs and the last discovery job", { type: "object", properties: { items: { type: "array", items: { type: "object" } }, lastJob: { oneOf: [{ $ref: "#/components/schemas/Job" }, { type: "null" }] } } }), ...authErrors } },
  },
  "/api/v1/environments/{name}/discovered/{discoveredId}/import": {
    post: {
      tags: ["environments"],
      summary: "Import a discovered API (origin discovered:<environment>), or update the API imported from it",
      parameters: [pathParam("name"), pathParam("discoveredId")],
      responses: { "201": json("Imported", { type: "object", properties: { apiId: { type: "string" }, created: { type: "boolean" } } }), "200": json("The imported API was updated", { type: "object" }), "409": problem("Gone, or no document"), ...authErrors },
    },
  },
  "/api/v1/deployments/{id}": {
    get: { tags: ["deployments"], summary: "A deployment: status, steps, error, reference", parameters: [pathParam("id")], responses: { "200": json("The deployment", { $ref: "#/components/schemas/Deployment" }), "404": problem("No such deployment"), ...authErrors } },
  },
  "/api/v1/keys/rotate": {
    post: { tags: ["keys"], summary: "Rotate the key manager's signing key (admin)", responses: { "200": json("The new key id", { type: "object", properties: { kid: { type: "string" } } }), ...authErrors } },
  },
  "/oauth2/token": {
    post: {
      tags: ["oauth2"],
      summary: "OAuth2 client credentials grant (client_secret_basic or client_secret_post, never both; each parameter once). scope: only scopes that operations of the application's subscribed APIs require (invalid_scope otherwise)",
      security: [{ clientBasic: [] }, {}],
      requestBody: form({ grant_type: { type: "string", enum: ["client_credentials"] }, scope: { type: "string" }, client_id: { type: "string" }, client_secret: { type: "string" } }, ["grant_type"]),
      responses: {
        "200": json("An access token (ES256 JWT)", { type: "object", properties: { access_token: { type: "string" }, token_type: { type: "string" }, expires_in: { type: "integer" }, scope: { type: "string" } } }),
        "400": oauthError("invalid_request, unsupported_grant_type, invalid_scope"),
        "401": oauthError("invalid_client"),
      },
    },
  },
  "/oauth2/revoke": {
    post: {
      tags: ["oauth2"],
      summary: "RFC 7009 token revocation",
      security: [{ clientBasic: [] }, {}],
      requestBody: form({ token: { type: "string" }, token_type_hint: { type: "string" } }, ["token"]),
      responses: { "200": { description: "Revoked, or not a token of ours" }, "400": oauthError("invalid_request, unauthorized_client"), "401": oauthError("invalid_client") },
    },
  },
  "/oauth2/jwks": { get: { tags: ["oauth2"], summary: "Public signing keys", security: [], responses: { "200": json("JWKS", { type: "object" }) } } },
  "/.well-known/openid-configuration": { get: { tags: ["oauth2"], summary: "Key manager discovery", security: [], responses: { "200": json("Metadata", { type: "object" }) } } },
  "/.well-known/oauth-authorization-server": { get: { tags: ["oauth2"], summary: "Key manager metadata (RFC 8414)", security: [], responses: { "200": json("Metadata", { type: "object" }) } } },
  "/api/gateway/v1/snapshot": {
    get: {
      tags: ["gateway sync"],
      summary: "What a pull gateway serves; long poll with If-None-Match and wait",
      security: gatewayAuth,
      parameters: [{ name: "wait", in: "query", schema: { type: "integer", minimum: 0, maximum: 30 } }, { name: "If-None-Match", in: "header", schema: { type: "string" } }],
      responses: { "200": json("The snapshot (ETag: its version)", { type: "object" }), "304": { description: "Unchanged" }, "401": problem("Bad gateway token") },
    },
  },
  "/api/gateway/v1/heartbeat": {
    post: { tags: ["gateway sync"], summary: "Instance heartbeat", security: gatewayAuth, requestBody: body({ type: "object" }), responses: { "200": json("The environment's current version", { type: "object" }), "401": problem("Bad gateway token") } },
  },
  "/api/gateway/v1/events": {
    post: {
      tags: ["gateway sync"],
      summary: "Analytics batch (idempotent by batchId)",
      description:
        "Either form. Full: `{batchId, events: [event, …]}` with every member in every event. Compact (`format: 2`, what the built-in gateway sends): `{batchId, format: 2, start, groups: [{environment, instanceId, region, apiId, operation, applicationId, keyType, method}, …], events: [[group, offsetMs, path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode?], …]}`, where `group` indexes `groups` and `offsetMs` counts from `start`; event ids are derived from the batch id. " +
        `At most ${MAX_EVENTS_PER_BATCH.toLocaleString("en")} events in the full form, ${MAX_COMPACT_EVENTS_PER_BATCH.toLocaleString("en")} in the compact one, and 4 MB per batch.`,
      security: gatewayAuth,
      requestBody: body({
        oneOf: [
          { type: "object", required: ["batchId", "events"], properties: { batchId: { type: "string", format: "uuid" }, events: { type: "array", minItems: 1, maxItems: MAX_EVENTS_PER_BATCH, items: { type: "object" } } } },
          {
            type: "object",
            required: ["batchId", "format", "start", "groups", "events"],
            properties: {
              batchId: { type: "string", format: "uuid" },
              format: { type: "integer", enum: [2] },
              start: { type: "string", format: "date-time" },
              groups: { type: "array", minItems: 1, maxItems: MAX_COMPACT_EVENTS_PER_BATCH, items: { type: "object" } },
              events: { type: "array", minItems: 1, maxItems: MAX_COMPACT_EVENTS_PER_BATCH, items: { type: "array", minItems: 8, maxItems: 9 } },
            },
          },
        ],
      }),
      responses: { "202": { description: "Stored" }, "200": { description: "Already stored (duplicate batch)" }, "400": problem("Malformed batch: nothing stored"), "401": problem("Bad gateway token"), "413": problem("Batch too large") },
    },
  },
};
