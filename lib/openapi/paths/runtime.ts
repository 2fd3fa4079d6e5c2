import { COMPACT_MAX_OFFSET_MS, MAX_COMPACT_EVENTS_PER_BATCH, MAX_EVENTS_PER_BATCH } from "@/lib/domain/gateway/snapshot";
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
      steps: {
        type: "array",
        items: { type: "object", properties: { at: { type: "string" }, step: { type: "string" }, detail: { type: "string" } } },
      },
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
      steps: {
        type: "array",
        items: { type: "object", properties: { at: { type: "string" }, step: { type: "string" }, detail: { type: "string" } } },
      },
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
      artifacts: {
        type: "array",
        items: {
          type: "object",
          properties: {
            kind: { type: "string" },
            name: { type: "string" },
            format: { type: "string", enum: ["json", "xml", "text"] },
            content: {},
          },
        },
      },
      refusals: { type: "array", items: { type: "object", properties: { feature: { type: "string" }, reason: { type: "string" } } } },
      notes: {
        type: "array",
        description: "What the environment does differently from Meridian but accepts (renamed schemas, limits counted otherwise)",
        items: { type: "object", properties: { feature: { type: "string" }, note: { type: "string" } } },
      },
    },
  },
  OAuthError: { type: "object", required: ["error"], properties: { error: { type: "string" }, error_description: { type: "string" } } },
};

/** `[group, offsetMs, path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode?]` */
const compactEvent: Json = {
  type: "array",
  minItems: 8,
  maxItems: 9,
  prefixItems: [
    { type: "integer", minimum: 0, description: "Index into groups" },
    { type: "integer", minimum: -COMPACT_MAX_OFFSET_MS, maximum: COMPACT_MAX_OFFSET_MS, description: "Arrival in ms from start" },
    { type: "string", description: "Request path without the query" },
    { type: "integer", minimum: 100, maximum: 599 },
    { type: "number", minimum: 0, description: "latencyMs" },
    { type: ["number", "null"], minimum: 0, description: "upstreamLatencyMs" },
    { type: "integer", minimum: 0, description: "requestBytes" },
    { type: "integer", minimum: 0, description: "responseBytes" },
  ],
  items: { type: "string", description: "errorCode, when the gateway answered itself" },
};

const ingestResult: Json = {
  type: "object",
  required: ["stored", "duplicate"],
  properties: { stored: { type: "integer", minimum: 0, description: "Events stored by this request" }, duplicate: { type: "boolean" } },
};

const oauthError = (d: string): Json => json(d, { $ref: "#/components/schemas/OAuthError" });
const form = (properties: Record<string, Json>, required: string[]): Json => ({
  required: true,
  content: { "application/x-www-form-urlencoded": { schema: { type: "object", required, properties } } },
});
const gatewayAuth = [{ gatewayToken: [] }];

export const runtimePaths: Record<string, Json> = {
  "/api/v1/apis/{id}/deployments": {
    get: {
      operationId: "listDeployments",
      tags: ["deployments"],
      summary: "Where the API is deployed",
      parameters: [pathParam("id")],
      responses: {
        "200": json("Deployments", { type: "object", properties: { items: { type: "array", items: { type: "object" } } } }),
        ...authErrors,
      },
    },
    post: {
      operationId: "deployRevision",
      tags: ["deployments"],
      summary: "Deploy a revision to environments (one deployment per environment)",
      parameters: [pathParam("id")],
      requestBody: body({
        type: "object",
        required: ["revisionId", "environments"],
        properties: { revisionId: { type: "string" }, environments: { type: "array", items: { type: "string" } } },
      }),
      responses: {
        "202": json("Accepted: pull environments are deployed at once, push environments each get a job", {
          type: "object",
          properties: {
            deployments: {
              type: "array",
              items: {
                type: "object",
                properties: { id: { type: "string" }, status: { type: "string" }, jobId: { type: ["string", "null"] } },
              },
            },
          },
        }),
        "409": problem(
          "Read-only environment, retired API, discovered API over its source, or a feature the environment cannot enforce (code conflict, `refusals` listed)",
        ),
        ...authErrors,
      },
    },
  },
  "/api/v1/apis/{id}/deployments/plan": {
    post: {
      operationId: "planDeployment",
      tags: ["deployments"],
      summary: "What each environment would receive (native artifacts) and refuse; no side effect",
      parameters: [pathParam("id")],
      requestBody: body({
        type: "object",
        required: ["revisionId", "environments"],
        properties: { revisionId: { type: "string" }, environments: { type: "array", items: { type: "string" } } },
      }),
      responses: {
        "200": json("One plan per environment", {
          type: "object",
          properties: { environments: { type: "array", items: { $ref: "#/components/schemas/EnvironmentPlan" } } },
        }),
        ...authErrors,
      },
    },
  },
  "/api/v1/apis/{id}/deployments/{environment}": {
    delete: {
      operationId: "undeployApi",
      tags: ["deployments"],
      summary: "Undeploy the API from an environment",
      parameters: [
        pathParam("id"),
        pathParam("environment"),
        {
          name: "deleteApi",
          in: "query",
          description: "Push gateways: delete the remote API too (AWS: the REST API)",
          schema: { type: "string", enum: ["true", "false"] },
        },
      ],
      responses: {
        "202": json("An undeploy job runs", {
          type: "object",
          properties: { id: { type: "string" }, status: { type: "string" }, jobId: { type: "string" } },
        }),
        "204": { description: "Undeployed (also when it was not deployed)" },
        ...authErrors,
      },
    },
  },
  "/api/v1/jobs/{id}": {
    get: {
      operationId: "getJob",
      tags: ["jobs"],
      summary: "A durable job: status, attempts, steps, result or error",
      parameters: [pathParam("id")],
      responses: { "200": json("The job", { $ref: "#/components/schemas/Job" }), "404": problem("No such job"), ...authErrors },
    },
  },
  "/api/v1/environments/{name}/discover": {
    post: {
      operationId: "discoverApis",
      tags: ["environments"],
      summary: "Discover the APIs that run on the environment (queues a job)",
      parameters: [pathParam("name")],
      responses: {
        "202": json("The discovery job", { type: "object", properties: { jobId: { type: "string" }, status: { type: "string" } } }),
        "409": problem("Write-only environment or a type that cannot be discovered"),
        ...authErrors,
      },
    },
  },
  "/api/v1/environments/{name}/discovered": {
    get: {
      operationId: "listDiscoveredApis",
      tags: ["environments"],
      summary: "Discovered APIs: New, Updated (with a diff), Unchanged or Gone",
      parameters: [pathParam("name")],
      responses: {
        "200": json("Discovered APIs and the last discovery job", {
          type: "object",
          properties: {
            items: { type: "array", items: { type: "object" } },
            lastJob: { oneOf: [{ $ref: "#/components/schemas/Job" }, { type: "null" }] },
          },
        }),
        ...authErrors,
      },
    },
  },
  "/api/v1/environments/{name}/discovered/{discoveredId}/import": {
    post: {
      operationId: "importDiscoveredApi",
      tags: ["environments"],
      summary: "Import a discovered API (origin discovered:<environment>), or update the API imported from it",
      parameters: [pathParam("name"), pathParam("discoveredId")],
      responses: {
        "201": json("Imported", { type: "object", properties: { apiId: { type: "string" }, created: { type: "boolean" } } }),
        "200": json("The imported API was updated", { type: "object" }),
        "404": problem("No such environment or discovered API"),
        "409": problem("Gone, or no document"),
        ...authErrors,
      },
    },
  },
  "/api/v1/deployments/{id}": {
    get: {
      operationId: "getDeployment",
      tags: ["deployments"],
      summary: "A deployment: status, steps, error, reference",
      parameters: [pathParam("id")],
      responses: {
        "200": json("The deployment", { $ref: "#/components/schemas/Deployment" }),
        "404": problem("No such deployment"),
        ...authErrors,
      },
    },
  },
  "/api/v1/keys/rotate": {
    post: {
      operationId: "rotateSigningKey",
      tags: ["keys"],
      summary: "Rotate the key manager's signing key (admin)",
      responses: { "200": json("The new key id", { type: "object", properties: { kid: { type: "string" } } }), ...authErrors },
    },
  },
  "/oauth2/token": {
    post: {
      operationId: "issueAccessToken",
      tags: ["oauth2"],
      summary:
        "OAuth2 client credentials grant (client_secret_basic or client_secret_post, never both; each parameter once). scope: only scopes that operations of the application's subscribed APIs require (invalid_scope otherwise)",
      security: [{ clientBasic: [] }, {}],
      requestBody: form(
        {
          grant_type: { type: "string", enum: ["client_credentials"] },
          scope: { type: "string" },
          client_id: { type: "string" },
          client_secret: { type: "string" },
        },
        ["grant_type"],
      ),
      responses: {
        "200": json("An access token (ES256 JWT)", {
          type: "object",
          properties: {
            access_token: { type: "string" },
            token_type: { type: "string" },
            expires_in: { type: "integer" },
            scope: { type: "string" },
          },
        }),
        "400": oauthError("invalid_request, unsupported_grant_type, invalid_scope"),
        "401": oauthError("invalid_client"),
      },
    },
  },
  "/oauth2/revoke": {
    post: {
      operationId: "revokeAccessToken",
      tags: ["oauth2"],
      summary: "RFC 7009 token revocation",
      security: [{ clientBasic: [] }, {}],
      requestBody: form({ token: { type: "string" }, token_type_hint: { type: "string" } }, ["token"]),
      responses: {
        "200": { description: "Revoked, or not a token of ours" },
        "400": oauthError("invalid_request, unauthorized_client"),
        "401": oauthError("invalid_client"),
      },
    },
  },
  "/oauth2/jwks": {
    get: {
      operationId: "getJwks",
      tags: ["oauth2"],
      summary: "Public signing keys",
      security: [],
      responses: { "200": json("JWKS", { type: "object" }) },
    },
  },
  "/.well-known/openid-configuration": {
    get: {
      operationId: "getOpenIdConfiguration",
      tags: ["oauth2"],
      summary: "Key manager discovery",
      security: [],
      responses: { "200": json("Metadata", { type: "object" }) },
    },
  },
  "/.well-known/oauth-authorization-server": {
    get: {
      operationId: "getOAuthServerMetadata",
      tags: ["oauth2"],
      summary: "Key manager metadata (RFC 8414)",
      security: [],
      responses: { "200": json("Metadata", { type: "object" }) },
    },
  },
  "/api/gateway/v1/snapshot": {
    get: {
      operationId: "getGatewaySnapshot",
      tags: ["gateway sync"],
      summary: "What a pull gateway serves; long poll with If-None-Match and wait",
      security: gatewayAuth,
      parameters: [
        { name: "wait", in: "query", schema: { type: "integer", minimum: 0, maximum: 30 } },
        { name: "If-None-Match", in: "header", schema: { type: "string" } },
      ],
      responses: {
        "200": json("The snapshot (ETag: its version)", { type: "object" }),
        "304": { description: "Unchanged" },
        "401": problem("Bad gateway token"),
      },
    },
  },
  "/api/gateway/v1/heartbeat": {
    post: {
      operationId: "sendGatewayHeartbeat",
      tags: ["gateway sync"],
      summary: "Instance heartbeat",
      security: gatewayAuth,
      requestBody: body({
        type: "object",
        required: ["instanceId", "region", "appliedVersion", "startedAt"],
        properties: {
          instanceId: { type: "string", description: "Unique per replica; stable across its restarts" },
          region: { type: ["string", "null"] },
          appliedVersion: { type: ["string", "null"], description: "The snapshot version it serves; null before it has one" },
          startedAt: { type: "string", format: "date-time" },
        },
      }),
      responses: {
        "200": json("The environment's current version", {
          type: "object",
          required: ["snapshotVersion"],
          properties: { snapshotVersion: { type: "string" } },
        }),
        "400": problem("Malformed heartbeat"),
        "401": problem("Bad gateway token"),
      },
    },
  },
  "/api/gateway/v1/events": {
    post: {
      operationId: "sendAnalyticsEvents",
      tags: ["gateway sync"],
      summary: "Analytics batch (idempotent by batchId)",
      description:
        "Either form. Full: `{batchId, events: [event, …]}` with every member in every event. Compact (`format: 2`, what the built-in gateway sends): `{batchId, format: 2, start, groups: [{environment, instanceId, region, apiId, operation, applicationId, keyType, method}, …], events: [[group, offsetMs, path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode?], …]}`, where `group` indexes `groups` and `offsetMs` counts from `start`; event ids are derived from the batch id. " +
        `At most ${MAX_EVENTS_PER_BATCH.toLocaleString("en")} events in the full form, ${MAX_COMPACT_EVENTS_PER_BATCH.toLocaleString("en")} in the compact one, and 4 MB per batch.`,
      security: gatewayAuth,
      // Exclusive by `format`, which the linters' overlap check cannot see: anyOf keeps them quiet and means the same.
      requestBody: body({
        anyOf: [
          // The control plane reads a body with `format` as the compact form, any other as the full one.
          {
            type: "object",
            required: ["batchId", "events"],
            properties: {
              batchId: { type: "string", format: "uuid" },
              format: { not: {}, description: "Absent in the full form" },
              events: { type: "array", minItems: 1, maxItems: MAX_EVENTS_PER_BATCH, items: { type: "object" } },
            },
          },
          {
            type: "object",
            required: ["batchId", "format", "start", "groups", "events"],
            properties: {
              batchId: { type: "string", format: "uuid" },
              format: { type: "integer", enum: [2] },
              start: { type: "string", format: "date-time" },
              groups: { type: "array", minItems: 1, maxItems: MAX_COMPACT_EVENTS_PER_BATCH, items: { type: "object" } },
              events: { type: "array", minItems: 1, maxItems: MAX_COMPACT_EVENTS_PER_BATCH, items: compactEvent },
            },
          },
        ],
      }),
      responses: {
        "202": json("Stored", ingestResult),
        "200": json("Already stored (duplicate batch): nothing stored again", ingestResult),
        "400": problem("Malformed batch: nothing stored"),
        "401": problem("Bad gateway token"),
        "403": problem("An event names another environment than the token's"),
        "413": problem("Batch too large"),
      },
    },
  },
};
