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
      responses: { "202": json("Accepted", { type: "object", properties: { deployments: { type: "array", items: { type: "object" } } } }), "409": problem("Read-only environment or retired API"), "501": problem("The environment's connector cannot deploy yet"), ...authErrors },
    },
  },
  "/api/v1/apis/{id}/deployments/{environment}": {
    delete: { tags: ["deployments"], summary: "Undeploy the API from an environment", parameters: [pathParam("id"), pathParam("environment")], responses: { "204": { description: "Undeployed (also when it was not deployed)" }, ...authErrors } },
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
      summary: "OAuth2 client credentials grant (client_secret_basic or client_secret_post)",
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
      security: gatewayAuth,
      requestBody: body({ type: "object", required: ["batchId", "events"] }),
      responses: { "202": { description: "Stored" }, "200": { description: "Already stored (duplicate batch)" }, "400": problem("Malformed batch: nothing stored"), "401": problem("Bad gateway token"), "413": problem("Batch too large") },
    },
  },
};
