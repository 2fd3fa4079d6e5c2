import { LIFECYCLE_STATES } from "@/lib/domain/lifecycle";
import { authErrors, body, json, pageOf, pageParams, pathParam, problem, queryParam, ref, type Json } from "../helpers";

/** The developer portal's REST side: the catalog (anonymous callers welcome), applications, subscriptions. */

const nullableString = { type: ["string", "null"] };
const dateTime = { type: "string", format: "date-time" };
const keyType: Json = { type: "string", enum: ["production", "sandbox"] };
const subscriptionStatus: Json = { type: "string", enum: ["pending", "active", "blocked", "rejected"] };
const anonymousOk: Json[] = [{}, { bearerToken: [] }];
const apiNotFound = problem("No such API in the catalog, or not one the caller may see (code not_found)");
const appNotFound = problem("No such application, or not the caller's (code not_found)");
const appId = pathParam("id", "Application id (app_…)");
const catalogId = pathParam("apiId", "API id (api_…)");

const catalogItem: Json = {
  id: { type: "string" },
  name: { type: "string" },
  version: { type: "string" },
  context: { type: "string" },
  description: { type: "string" },
  tags: { type: "array", items: { type: "string" } },
  lifecycleState: {
    type: "string",
    enum: [...LIFECYCLE_STATES],
    description: "PUBLISHED or DEPRECATED; PROTOTYPED for publishers and admins",
  },
  operationCount: { type: "integer" },
  updatedAt: dateTime,
};

const subscriptionProperties: Json = {
  id: { type: "string" },
  applicationId: { type: "string" },
  applicationName: { type: "string" },
  apiId: { type: "string" },
  apiName: { type: "string" },
  apiVersion: { type: "string" },
  apiContext: { type: "string" },
  apiLifecycleState: { type: "string", enum: [...LIFECYCLE_STATES] },
  tier: { type: "string" },
  status: subscriptionStatus,
  createdAt: dateTime,
  decidedAt: { ...nullableString, format: "date-time" },
};

const applicationProperties: Json = {
  id: { type: "string" },
  name: { type: "string", maxLength: 100 },
  description: { type: "string", maxLength: 1000 },
  policy: { ...nullableString, description: "Name of an application policy (kind application), or null" },
  createdAt: dateTime,
  updatedAt: dateTime,
};

const apiKeyProperties: Json = {
  id: { type: "string" },
  name: { type: "string" },
  keyType,
  prefix: { type: "string", description: "The first characters of the key, to recognise it" },
  expiresAt: { ...nullableString, format: "date-time" },
  revokedAt: { ...nullableString, format: "date-time" },
  createdAt: dateTime,
};

export const developerSchemas: Record<string, Json> = {
  CatalogApi: { type: "object", properties: catalogItem },
  CatalogApiDetail: {
    type: "object",
    properties: {
      ...catalogItem,
      security: {
        type: "object",
        properties: { scheme: { type: "string", enum: ["oauth2", "apiKey", "none"] }, apiKeyHeader: { type: "string" } },
      },
      cors: {
        type: "object",
        properties: {
          enabled: { type: "boolean" },
          origins: { type: "array", items: { type: "string" } },
          headers: { type: "array", items: { type: "string" } },
        },
      },
      operations: {
        type: "array",
        items: {
          type: "object",
          properties: {
            method: { type: "string" },
            path: { type: "string" },
            summary: nullableString,
            deprecated: { type: "boolean" },
            security: { type: "string", enum: ["oauth2", "apiKey", "none"] },
          },
        },
      },
      gateways: {
        type: "array",
        description: "Environments the API is deployed to (that the caller may see), with the gateway base URLs of this version",
        items: {
          type: "object",
          properties: {
            environment: { type: "string" },
            displayName: { type: "string" },
            region: { type: "string" },
            type: { type: "string" },
            urls: { type: "array", items: { type: "string", format: "uri" } },
          },
        },
      },
      tiers: {
        type: "array",
        description: "Subscription tiers on offer",
        items: {
          type: "object",
          properties: {
            name: { type: "string" },
            displayName: { type: "string" },
            description: { type: "string" },
            summary: { type: "string" },
          },
        },
      },
      subscribable: { type: "boolean", description: "Only published APIs take new subscriptions" },
    },
  },
  Application: { type: "object", properties: applicationProperties },
  ApplicationSummary: {
    type: "object",
    properties: { ...applicationProperties, subscriptionCount: { type: "integer" }, keyTypes: { type: "array", items: keyType } },
  },
  ApplicationDetail: {
    type: "object",
    properties: {
      ...applicationProperties,
      credentials: {
        type: "array",
        description: "OAuth2 clients; secrets are never read back",
        items: { type: "object", properties: { keyType, clientId: { type: "string" }, secretRotatedAt: dateTime } },
      },
      apiKeys: { type: "array", items: ref("ApplicationApiKey") },
      subscriptions: {
        type: "array",
        items: {
          allOf: [
            ref("Subscription"),
            { type: "object", properties: { gatewayUrl: nullableString, samplePath: nullableString, apiSecurity: { type: "string" } } },
          ],
        },
      },
    },
  },
  ApplicationApiKey: { type: "object", properties: apiKeyProperties },
  Subscription: { type: "object", properties: subscriptionProperties },
  SubscriptionApproval: { type: "object", properties: { ...subscriptionProperties, ownerEmail: { type: "string" } } },
};

export const developerPaths: Record<string, Json> = {
  "/api/v1/catalog": {
    get: {
      operationId: "listCatalogApis",
      tags: ["catalog"],
      summary: "The API catalog: published and deprecated APIs the caller may see (anonymous callers see public ones)",
      description: "`q` matches word prefixes of the name, description and tags (all words required).",
      security: anonymousOk,
      parameters: [
        ...pageParams.map((p) =>
          p.name === "pageSize" ? { ...p, schema: { type: "integer", minimum: 1, maximum: 100, default: 24 } } : p,
        ),
        queryParam("q", { type: "string", maxLength: 200 }, "Search"),
        queryParam("tag", { type: "string" }, "Only APIs with this tag"),
        queryParam("environment", { type: "string" }, "Only APIs deployed to this gateway environment (by name)"),
      ],
      responses: { "200": json("A page of APIs", pageOf(ref("CatalogApi"))), "400": problem("Invalid query") },
    },
  },
  "/api/v1/catalog/{apiId}": {
    get: {
      operationId: "getCatalogApi",
      tags: ["catalog"],
      summary: "One API of the catalog: operations, gateway URLs per environment, tiers on offer",
      security: anonymousOk,
      parameters: [catalogId],
      responses: { "200": json("The API", ref("CatalogApiDetail")), "404": apiNotFound },
    },
  },
  "/api/v1/catalog/{apiId}/definition": {
    get: {
      operationId: "getCatalogApiDefinition",
      tags: ["catalog"],
      summary: "Download the OpenAPI document, with the gateway URLs as servers",
      security: anonymousOk,
      parameters: [catalogId],
      responses: { "200": json("The OpenAPI document (attachment)", { type: "object" }), "404": apiNotFound },
    },
  },
  "/api/v1/catalog/{apiId}/documents": {
    get: {
      operationId: "listCatalogApiDocuments",
      tags: ["catalog"],
      summary: "The API's documents; markdown rendered to sanitized HTML",
      security: anonymousOk,
      parameters: [catalogId],
      responses: {
        "200": json("Documents", { type: "object", properties: { items: { type: "array", items: ref("ApiDocument") } } }),
        "404": apiNotFound,
      },
    },
  },
  "/api/v1/applications": {
    get: {
      operationId: "listApplications",
      tags: ["applications"],
      summary: "The caller's applications",
      parameters: pageParams,
      responses: { "200": json("A page of applications", pageOf(ref("ApplicationSummary"))), ...authErrors },
    },
    post: {
      operationId: "createApplication",
      tags: ["applications"],
      summary: "Create an application",
      requestBody: body({
        type: "object",
        required: ["name"],
        properties: { name: { type: "string", maxLength: 100 }, description: { type: "string", maxLength: 1000 }, policy: nullableString },
      }),
      responses: {
        "201": json("Created", ref("Application")),
        "409": problem("The caller has an application with this name"),
        ...authErrors,
      },
    },
  },
  "/api/v1/applications/{id}": {
    get: {
      operationId: "getApplication",
      tags: ["applications"],
      summary: "One application with its credentials (no secrets), API keys and subscriptions",
      parameters: [appId],
      responses: { "200": json("The application", ref("ApplicationDetail")), "404": appNotFound, ...authErrors },
    },
    patch: {
      operationId: "updateApplication",
      tags: ["applications"],
      summary: "Change name, description or application policy",
      parameters: [appId],
      requestBody: body({
        type: "object",
        properties: { name: { type: "string" }, description: { type: "string" }, policy: nullableString },
      }),
      responses: { "200": json("Updated", ref("Application")), "404": appNotFound, "409": problem("Name taken"), ...authErrors },
    },
    delete: {
      operationId: "deleteApplication",
      tags: ["applications"],
      summary: "Delete the application with its credentials, keys and subscriptions",
      parameters: [appId],
      responses: { "204": { description: "Deleted" }, "404": appNotFound, ...authErrors },
    },
  },
  "/api/v1/applications/{id}/keys": {
    post: {
      operationId: "generateApplicationKeys",
      tags: ["applications"],
      summary: "Create the OAuth2 client of a key type, or regenerate its secret (the old one stops working)",
      parameters: [appId],
      requestBody: body({ type: "object", required: ["keyType"], properties: { keyType } }),
      responses: {
        "201": json("The client id and secret; the secret is not shown again", {
          type: "object",
          properties: { clientId: { type: "string" }, clientSecret: { type: "string" }, keyType },
        }),
        "404": appNotFound,
        ...authErrors,
      },
    },
  },
  "/api/v1/applications/{id}/token": {
    post: {
      operationId: "generateApplicationToken",
      tags: ["applications"],
      summary: "Generate an access token for the application (as the client credentials grant at /oauth2/token would)",
      parameters: [appId],
      requestBody: body(
        { type: "object", properties: { keyType: { ...keyType, default: "production" }, scope: { type: "string" } } },
        false,
      ),
      responses: {
        "200": json("The token", {
          type: "object",
          properties: {
            access_token: { type: "string" },
            token_type: { type: "string" },
            expires_in: { type: "integer" },
            scope: { type: "string" },
            keyType,
            clientId: { type: "string" },
          },
        }),
        "400": problem("No credentials of this key type yet"),
        "404": appNotFound,
        ...authErrors,
      },
    },
  },
  "/api/v1/applications/{id}/api-keys": {
    get: {
      operationId: "listApiKeys",
      tags: ["applications"],
      summary: "The application's API keys (never the keys themselves)",
      parameters: [appId],
      responses: {
        "200": json("Keys", { type: "object", properties: { items: { type: "array", items: ref("ApplicationApiKey") } } }),
        "404": appNotFound,
        ...authErrors,
      },
    },
    post: {
      operationId: "createApiKey",
      tags: ["applications"],
      summary: "Create an API key; the key is in this answer only",
      parameters: [appId],
      requestBody: body(
        {
          type: "object",
          properties: {
            name: { type: "string", default: "default" },
            keyType: { ...keyType, default: "production" },
            expiresInDays: { type: "integer", minimum: 1, maximum: 3650 },
          },
        },
        false,
      ),
      responses: {
        "201": json("Created", { allOf: [ref("ApplicationApiKey"), { type: "object", properties: { key: { type: "string" } } }] }),
        "404": appNotFound,
        ...authErrors,
      },
    },
  },
  "/api/v1/applications/{id}/api-keys/{keyId}": {
    delete: {
      operationId: "revokeApiKey",
      tags: ["applications"],
      summary: "Revoke an API key; gateways refuse it within seconds",
      parameters: [appId, pathParam("keyId")],
      responses: { "204": { description: "Revoked" }, "404": problem("No such key"), ...authErrors },
    },
  },
  "/api/v1/subscriptions": {
    get: {
      operationId: "listSubscriptions",
      tags: ["subscriptions"],
      summary:
        "The caller's subscriptions; with view=approvals, those of the APIs the caller decides on (publishers: own APIs; admins: all)",
      parameters: [
        ...pageParams,
        queryParam("view", { type: "string", enum: ["approvals"] }),
        queryParam("applicationId", { type: "string" }),
        queryParam("apiId", { type: "string" }),
        queryParam("status", subscriptionStatus, "With view=approvals the default is pending"),
      ],
      responses: {
        "200": json(
          "A page of subscriptions (SubscriptionApproval items with view=approvals)",
          pageOf({ anyOf: [ref("Subscription"), ref("SubscriptionApproval")] }),
        ),
        ...authErrors,
      },
    },
    post: {
      operationId: "createSubscription",
      tags: ["subscriptions"],
      summary: "Subscribe one of the caller's applications to a published API on one of its tiers",
      description:
        "Waits for approval (status pending) when the platform requires it. Repeating the same request answers the existing subscription (200).",
      requestBody: body({
        type: "object",
        required: ["applicationId", "apiId", "tier"],
        properties: { applicationId: { type: "string" }, apiId: { type: "string" }, tier: { type: "string" } },
      }),
      responses: {
        "201": json("Subscribed", {
          type: "object",
          properties: {
            id: { type: "string" },
            applicationId: { type: "string" },
            apiId: { type: "string" },
            tier: { type: "string" },
            status: subscriptionStatus,
          },
        }),
        "200": json("Already subscribed on this tier", { type: "object" }),
        "400": problem("Tier not offered, API not published (deprecated, retired…), unknown application or API"),
        "403": problem("The application is someone else's"),
        "409": problem("Already subscribed on another tier"),
        "401": problem("Not authenticated"),
      },
    },
  },
  "/api/v1/subscriptions/{id}": {
    delete: {
      operationId: "deleteSubscription",
      tags: ["subscriptions"],
      summary: "Unsubscribe",
      parameters: [pathParam("id")],
      responses: { "204": { description: "Deleted" }, "404": problem("No such subscription of the caller's"), ...authErrors },
    },
  },
  ...Object.fromEntries(
    (["approve", "reject", "block", "unblock"] as const).map((d) => [
      `/api/v1/subscriptions/{id}/${d}`,
      {
        post: {
          operationId: `${d}Subscription`,
          tags: ["subscriptions"],
          summary: `${d[0].toUpperCase()}${d.slice(1)} a subscription (admins, or a publisher of the API)`,
          parameters: [pathParam("id")],
          responses: {
            "200": json("The subscription", { type: "object" }),
            "404": problem("No such subscription of an API the caller owns"),
            "409": problem("Not allowed from the current status (code invalid_transition)"),
            ...authErrors,
          },
        },
      },
    ]),
  ),
};
