import { LIFECYCLE_ACTIONS, LIFECYCLE_STATES } from "@/lib/domain/lifecycle";
import { authErrors, body, json, pageOf, pageParams, pathParam, problem, queryParam, ref, type Json } from "../helpers";

const nullableString = { type: ["string", "null"] };
const rateLimit: Json = {
  type: ["object", "null"],
  required: ["requests", "unit"],
  properties: {
    requests: { type: "integer", minimum: 1 },
    unit: { type: "string", enum: ["second", "minute", "hour", "day"] },
    burst: { type: "integer", minimum: 0, default: 0 },
  },
};
const notFound = problem("No such API, or it is not yours (code not_found)");
const invalidDefinition = problem(
  "The document is not valid (code invalid_definition, with errors: [{ path, place, message, line?, column? }]: path is a JSON pointer, place the same as a person reads it, such as paths › /pets › get), or nested deeper or holding more values than MERIDIAN_MAX_DEFINITION_DEPTH / MERIDIAN_MAX_DEFINITION_NODES allow (code definition_too_complex, with limit, max and errors)",
);
const tooLarge = problem("The document is larger than MERIDIAN_MAX_DEFINITION_BYTES (code payload_too_large)");
const idParam = pathParam("id", "API id (api_…)");

const settingsProperties: Record<string, Json> = {
  name: { type: "string", maxLength: 120 },
  description: { type: "string", maxLength: 5000 },
  version: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" },
  context: { type: "string", description: "Base path, unique per version, such as /pets", pattern: "^(/[a-z0-9][a-z0-9._-]*)+$" },
  tags: { type: "array", items: { type: "string" } },
  visibility: { type: "string", enum: ["public", "roles"] },
  visibleRoles: { type: "array", items: ref("Role") },
  endpoints: ref("ApiEndpoints"),
  security: ref("ApiSecurity"),
  rateLimit: ref("RateLimit"),
  cors: ref("ApiCors"),
  allowedTiers: {
    type: "array",
    items: { type: "string" },
    description: "Names of the subscription tiers consumers may choose; an empty list offers every tier, including tiers created later",
  },
};

export const apiSchemas: Record<string, Json> = {
  LifecycleState: { type: "string", enum: [...LIFECYCLE_STATES] },
  LifecycleAction: { type: "string", enum: [...LIFECYCLE_ACTIONS] },
  RateLimit: rateLimit,
  ApiEndpoints: {
    type: "object",
    properties: {
      production: { ...nullableString, format: "uri" },
      sandbox: { ...nullableString, format: "uri" },
      overrides: {
        type: "object",
        description: "Per gateway environment name",
        additionalProperties: {
          type: "object",
          properties: { production: { ...nullableString, format: "uri" }, sandbox: { ...nullableString, format: "uri" } },
        },
      },
    },
  },
  ApiSecurity: {
    type: "object",
    required: ["scheme"],
    properties: { scheme: { type: "string", enum: ["oauth2", "apiKey", "none"] }, apiKeyHeader: { type: "string", default: "apikey" } },
  },
  ApiCors: {
    type: "object",
    required: ["enabled"],
    properties: {
      enabled: { type: "boolean" },
      origins: { type: "array", items: { type: "string" } },
      methods: { type: "array", items: { type: "string" } },
      headers: { type: "array", items: { type: "string" } },
      credentials: { type: "boolean" },
    },
  },
  ApiSummary: {
    type: "object",
    properties: {
      id: { type: "string", examples: ["api_4kT9…"] },
      name: { type: "string" },
      version: { type: "string" },
      context: { type: "string" },
      description: { type: "string" },
      lifecycleState: ref("LifecycleState"),
      tags: { type: "array", items: { type: "string" } },
      operationCount: { type: "integer" },
      updatedAt: { type: "string", format: "date-time" },
    },
  },
  Api: {
    allOf: [
      ref("ApiSummary"),
      {
        type: "object",
        properties: {
          ...settingsProperties,
          owners: {
            type: "array",
            items: { type: "object", properties: { id: { type: "string" }, email: nullableString, name: nullableString } },
          },
          origin: { type: "string" },
          sourceSpec: { type: "string", enum: ["swagger-2.0", "openapi-3.0", "openapi-3.1"] },
          definitionFormat: { type: "string", enum: ["json", "yaml"] },
          allowedActions: { type: "array", items: ref("LifecycleAction") },
          lastRevisionNumber: { type: "integer" },
          createdAt: { type: "string", format: "date-time" },
        },
      },
    ],
  },
  ApiSettings: {
    type: "object",
    additionalProperties: false,
    properties: {
      ...settingsProperties,
      owners: { type: "array", items: { type: "string" }, description: "User ids or emails of the owners" },
    },
  },
  CreateApi: {
    type: "object",
    description:
      "Give `definition` (JSON or YAML text, or a JSON object) or `definitionUrl` to import; neither to start from scratch with `operations`. Name, version and context default to the document's info.",
    properties: {
      ...settingsProperties,
      definition: { oneOf: [{ type: "string" }, { type: "object" }] },
      definitionUrl: {
        type: "string",
        format: "uri",
        description: "Fetched by the server; private addresses are refused unless MERIDIAN_ALLOW_PRIVATE_URLS is set",
      },
      operations: {
        type: "array",
        items: {
          type: "object",
          required: ["method", "path"],
          properties: { method: { type: "string" }, path: { type: "string" }, summary: { type: "string" } },
        },
      },
    },
  },
  ApiOperation: {
    type: "object",
    properties: {
      method: { type: "string" },
      path: { type: "string" },
      operationId: nullableString,
      summary: nullableString,
      tags: { type: "array", items: { type: "string" } },
      deprecated: { type: "boolean" },
      documentSecurity: { type: "array", items: { type: "string" } },
      security: { type: ["string", "null"], enum: ["oauth2", "apiKey", "none", null] },
      rateLimit: rateLimit,
      documentScopes: {
        type: "array",
        items: { type: "string" },
        description: "OAuth2 scopes the document's security requirements ask for",
      },
      scopes: {
        type: ["array", "null"],
        items: { type: "string" },
        description: "OAuth2 scopes a token must all carry for this operation (OAuth2 operations only); null follows documentScopes",
      },
    },
  },
  LifecycleEvent: {
    type: "object",
    properties: {
      id: { type: "string" },
      action: { type: "string" },
      fromState: ref("LifecycleState"),
      toState: ref("LifecycleState"),
      actorEmail: nullableString,
      at: { type: "string", format: "date-time" },
    },
  },
  Revision: {
    type: "object",
    properties: {
      id: { type: "string" },
      number: { type: "integer" },
      description: { type: "string" },
      operationCount: { type: "integer" },
      deployed: { type: "boolean" },
      createdByEmail: nullableString,
      createdAt: { type: "string", format: "date-time" },
    },
  },
  ApiDocument: {
    type: "object",
    properties: {
      id: { type: "string" },
      title: { type: "string" },
      kind: { type: "string", enum: ["how-to", "sample", "other"] },
      sourceType: { type: "string", enum: ["markdown", "url"] },
      content: { type: "string" },
      url: nullableString,
      html: { ...nullableString, description: "Sanitized HTML of a markdown document" },
      updatedAt: { type: "string", format: "date-time" },
    },
  },
};

const openapiBody: Json = {
  required: true,
  content: {
    "application/json": { schema: { type: "object", description: "An OpenAPI 3.x or Swagger 2.0 document" } },
    "application/yaml": { schema: { type: "string" } },
    "multipart/form-data": { schema: { type: "object", properties: { definition: { type: "string", format: "binary" } } } },
  },
};

export const apiPaths: Record<string, Json> = {
  "/api/v1/apis": {
    get: {
      operationId: "listApis",
      tags: ["apis"],
      summary: "APIs the caller owns or co-owns (all for admins), searched by name, context or tag",
      parameters: [...pageParams, queryParam("q", { type: "string" }), queryParam("state", ref("LifecycleState"))],
      responses: { "200": json("A page of APIs", pageOf(ref("ApiSummary"))), ...authErrors },
    },
    post: {
      operationId: "createApi",
      tags: ["apis"],
      summary: "Create an API: import a document (text, object, URL or upload) or start from scratch",
      requestBody: {
        required: true,
        content: {
          "application/json": { schema: ref("CreateApi") },
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: {
                definition: { type: "string", format: "binary" },
                metadata: { type: "string", description: "The CreateApi fields as JSON" },
                name: { type: "string" },
                version: { type: "string" },
                context: { type: "string" },
              },
            },
          },
        },
      },
      responses: {
        "201": json("Created", ref("Api")),
        "400": invalidDefinition,
        "409": problem("The context is taken in this version; the problem names the API (conflictingApi)"),
        "413": tooLarge,
        ...authErrors,
      },
    },
  },
  "/api/v1/apis/{id}": {
    get: {
      operationId: "getApi",
      tags: ["apis"],
      summary: "One API",
      parameters: [idParam],
      responses: { "200": json("The API", ref("Api")), "404": notFound, ...authErrors },
    },
    patch: {
      operationId: "updateApi",
      tags: ["apis"],
      summary: "Change settings (owners and admins)",
      parameters: [idParam],
      requestBody: body(ref("ApiSettings")),
      responses: { "200": json("Updated", ref("Api")), "404": notFound, "409": problem("Context taken in this version"), ...authErrors },
    },
    delete: {
      operationId: "deleteApi",
      tags: ["apis"],
      summary: "Delete an API deployed nowhere and without active subscriptions",
      parameters: [idParam],
      responses: {
        "204": { description: "Deleted" },
        "404": notFound,
        "409": problem("Deployed or subscribed: the detail says why"),
        ...authErrors,
      },
    },
  },
  "/api/v1/apis/{id}/definition": {
    get: {
      operationId: "getApiDefinition",
      tags: ["apis"],
      summary: "The stored OpenAPI 3.x document (normalized); ?format=source for the text as uploaded",
      parameters: [idParam, queryParam("format", { type: "string", enum: ["source"] })],
      responses: { "200": json("The document", { type: "object" }), "404": notFound, ...authErrors },
    },
    put: {
      operationId: "replaceApiDefinition",
      tags: ["apis"],
      summary: "Replace the document (JSON or YAML); an invalid one is refused and nothing changes",
      parameters: [idParam, queryParam("dryRun", { type: "boolean" }, "Only validate")],
      requestBody: openapiBody,
      responses: {
        "200": json("The API, or the validation result with dryRun", ref("Api")),
        "400": invalidDefinition,
        "404": notFound,
        "413": tooLarge,
        ...authErrors,
      },
    },
  },
  "/api/v1/apis/{id}/operations": {
    get: {
      operationId: "listApiOperations",
      tags: ["apis"],
      summary: "The API's operations, a page at a time",
      parameters: [idParam, ...pageParams, queryParam("q", { type: "string" })],
      responses: { "200": json("A page of operations", pageOf(ref("ApiOperation"))), "404": notFound, ...authErrors },
    },
    patch: {
      operationId: "updateApiOperation",
      tags: ["apis"],
      summary:
        "Set one operation's security, rate limit (null follows the API) and OAuth2 scopes (null follows the document; absent keeps them)",
      parameters: [idParam],
      requestBody: body({
        type: "object",
        required: ["method", "path", "security", "rateLimit"],
        properties: {
          method: { type: "string" },
          path: { type: "string" },
          security: { type: ["string", "null"] },
          rateLimit: ref("RateLimit"),
          scopes: {
            type: ["array", "null"],
            items: { type: "string" },
            maxItems: 20,
            description: "Scope names (RFC 6749 §3.3); refused unless the operation is secured with OAuth2",
          },
        },
      }),
      responses: { "200": json("The operation", ref("ApiOperation")), "404": notFound, ...authErrors },
    },
  },
  "/api/v1/apis/{id}/versions": {
    post: {
      operationId: "createApiVersion",
      tags: ["apis"],
      summary: "Create a new version (a copy; the original is untouched)",
      parameters: [idParam],
      requestBody: body({
        type: "object",
        required: ["version"],
        properties: { version: { type: "string" }, context: { type: "string" } },
      }),
      responses: {
        "201": json("The new API", ref("Api")),
        "404": notFound,
        "409": problem("Context taken in this version"),
        ...authErrors,
      },
    },
  },
  "/api/v1/apis/{id}/lifecycle": {
    get: {
      operationId: "listLifecycleHistory",
      tags: ["apis"],
      summary: "Lifecycle history, newest first",
      parameters: [idParam],
      responses: {
        "200": json("History", { type: "object", properties: { items: { type: "array", items: ref("LifecycleEvent") } } }),
        ...authErrors,
      },
    },
    post: {
      operationId: "changeLifecycleState",
      tags: ["apis"],
      summary: "Change the lifecycle state. Publishing does not require a deployed revision (yet).",
      parameters: [idParam],
      requestBody: body({ type: "object", required: ["action"], properties: { action: ref("LifecycleAction") } }),
      responses: {
        "200": json("The API in its new state", ref("Api")),
        "404": notFound,
        "409": problem("Not allowed in this state (code invalid_transition, with allowedActions)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/apis/{id}/revisions": {
    get: {
      operationId: "listRevisions",
      tags: ["apis"],
      summary: "Revisions, newest first",
      parameters: [idParam],
      responses: {
        "200": json("Revisions", {
          type: "object",
          properties: { items: { type: "array", items: ref("Revision") }, maxRevisions: { type: "integer" } },
        }),
        ...authErrors,
      },
    },
    post: {
      operationId: "createRevision",
      tags: ["apis"],
      summary: "Snapshot the working copy as the next revision",
      parameters: [idParam],
      requestBody: body({ type: "object", properties: { description: { type: "string", maxLength: 500 } } }, false),
      responses: {
        "201": json("Created", ref("Revision")),
        "409": problem("The most revisions are kept (MERIDIAN_MAX_REVISIONS): delete one first"),
        ...authErrors,
      },
    },
  },
  "/api/v1/apis/{id}/revisions/compare": {
    get: {
      operationId: "compareRevisions",
      tags: ["apis"],
      summary: "Compare two revisions, or a revision and the working copy (to=current)",
      parameters: [idParam, queryParam("from", { type: "string" }), queryParam("to", { type: "string", default: "current" })],
      responses: { "200": json("Definition diff and settings changes", { type: "object" }), "404": notFound, ...authErrors },
    },
  },
  "/api/v1/apis/{id}/revisions/{revisionId}": {
    get: {
      operationId: "getRevision",
      tags: ["apis"],
      summary: "One revision with its document and settings",
      parameters: [idParam, pathParam("revisionId")],
      responses: { "200": json("The revision", ref("Revision")), "404": notFound, ...authErrors },
    },
    delete: {
      operationId: "deleteRevision",
      tags: ["apis"],
      summary: "Delete a revision that is not deployed",
      parameters: [idParam, pathParam("revisionId")],
      responses: { "204": { description: "Deleted" }, "404": notFound, "409": problem("The revision is deployed"), ...authErrors },
    },
  },
  "/api/v1/apis/{id}/revisions/{revisionId}/restore": {
    post: {
      operationId: "restoreRevision",
      tags: ["apis"],
      summary: "Copy a revision back into the working copy",
      parameters: [idParam, pathParam("revisionId")],
      responses: { "200": json("The API", ref("Api")), "404": notFound, ...authErrors },
    },
  },
  "/api/v1/apis/{id}/documents": {
    get: {
      operationId: "listApiDocuments",
      tags: ["apis"],
      summary: "Documents of the API",
      parameters: [idParam],
      responses: {
        "200": json("Documents", { type: "object", properties: { items: { type: "array", items: ref("ApiDocument") } } }),
        ...authErrors,
      },
    },
    post: {
      operationId: "createApiDocument",
      tags: ["apis"],
      summary: "Add a markdown document or an external link (http/https)",
      parameters: [idParam],
      requestBody: body({
        type: "object",
        required: ["title", "kind", "sourceType"],
        properties: {
          title: { type: "string" },
          kind: { type: "string", enum: ["how-to", "sample", "other"] },
          sourceType: { type: "string", enum: ["markdown", "url"] },
          content: { type: "string" },
          url: { type: "string" },
        },
      }),
      responses: { "201": json("Created", ref("ApiDocument")), "409": problem("Title taken"), ...authErrors },
    },
  },
  "/api/v1/apis/{id}/documents/{documentId}": {
    get: {
      operationId: "getApiDocument",
      tags: ["apis"],
      summary: "One document, markdown rendered sanitized",
      parameters: [idParam, pathParam("documentId")],
      responses: { "200": json("The document", ref("ApiDocument")), "404": notFound, ...authErrors },
    },
    patch: {
      operationId: "updateApiDocument",
      tags: ["apis"],
      summary: "Change a document",
      parameters: [idParam, pathParam("documentId")],
      requestBody: body({
        type: "object",
        properties: { title: { type: "string" }, kind: { type: "string" }, content: { type: "string" }, url: { type: "string" } },
      }),
      responses: { "200": json("Updated", ref("ApiDocument")), "404": notFound, ...authErrors },
    },
    delete: {
      operationId: "deleteApiDocument",
      tags: ["apis"],
      summary: "Delete a document",
      parameters: [idParam, pathParam("documentId")],
      responses: { "204": { description: "Deleted" }, "404": notFound, ...authErrors },
    },
  },
};
