import { authErrors, body, json, pageOf, pageParams, pathParam, problem, queryParam, ref, type Json } from "../helpers";

export const foundationSchemas: Record<string, Json> = {
  Problem: {
    type: "object",
    description: "RFC 9457 problem document with a stable code.",
    required: ["type", "title", "status", "detail", "code"],
    properties: {
      type: { type: "string" },
      title: { type: "string" },
      status: { type: "integer" },
      detail: { type: "string" },
      code: { type: "string", examples: ["validation_failed", "unauthenticated", "forbidden", "not_found", "conflict"] },
      requestId: { type: "string" },
      errors: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
    },
  },
  Role: { type: "string", enum: ["admin", "publisher", "subscriber"] },
  User: {
    type: "object",
    properties: {
      id: { type: "string", examples: ["usr_4kT9…"] },
      email: { type: "string", format: "email" },
      name: { type: "string" },
      roles: { type: "array", items: ref("Role") },
      disabled: { type: "boolean" },
      invited: { type: "boolean", description: "True until the invited user sets a password." },
      lastLoginAt: { type: ["string", "null"], format: "date-time" },
      createdAt: { type: "string", format: "date-time" },
    },
  },
  Token: {
    type: "object",
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      prefix: { type: "string" },
      status: { type: "string", enum: ["active", "expired", "revoked"] },
      expiresAt: { type: ["string", "null"], format: "date-time" },
      lastUsedAt: { type: ["string", "null"], format: "date-time" },
      createdAt: { type: "string", format: "date-time" },
    },
  },
  Settings: {
    type: "object",
    properties: {
      selfSignup: { type: "boolean" },
      subscriptionApproval: { type: "boolean" },
      accessTokenTtlSeconds: { type: "integer", minimum: 60, maximum: 86400 },
      apiKeyPrefix: { type: "string", pattern: "^[a-z][a-z0-9]{0,9}_$" },
    },
  },
  AuditEntry: {
    type: "object",
    properties: {
      id: { type: "string" },
      at: { type: "string", format: "date-time" },
      actorId: { type: ["string", "null"] },
      actorEmail: { type: ["string", "null"] },
      action: { type: "string" },
      objectType: { type: "string" },
      objectId: { type: ["string", "null"] },
      details: { type: "object" },
      requestId: { type: ["string", "null"] },
    },
  },
};

export const foundationPaths: Record<string, Json> = {
  "/api/health": {
    get: {
      operationId: "getHealth",
      tags: ["system"],
      summary: "Health of the control plane",
      security: [],
      responses: {
        "200": json("Healthy", {
          type: "object",
          properties: { status: { type: "string" }, database: { type: "object" }, version: { type: "string" } },
        }),
        "503": { description: "Database unavailable" },
      },
    },
  },
  "/api/v1/me": {
    get: {
      operationId: "getMe",
      tags: ["account"],
      summary: "The caller, with roles and permissions",
      responses: { "200": json("The caller", ref("User")), ...authErrors },
    },
  },
  "/api/v1/tokens": {
    get: {
      operationId: "listTokens",
      tags: ["account"],
      summary: "The caller's personal access tokens",
      responses: {
        "200": json("Tokens", { type: "object", properties: { items: { type: "array", items: ref("Token") } } }),
        ...authErrors,
      },
    },
    post: {
      operationId: "createToken",
      tags: ["account"],
      summary: "Create a personal access token (the secret is returned once)",
      requestBody: body({
        type: "object",
        required: ["name"],
        properties: { name: { type: "string", maxLength: 100 }, expiresInDays: { type: "integer", minimum: 1, maximum: 3650 } },
      }),
      responses: {
        "201": json("Created", { allOf: [ref("Token"), { type: "object", properties: { token: { type: "string" } } }] }),
        ...authErrors,
      },
    },
  },
  "/api/v1/tokens/{id}": {
    delete: {
      operationId: "revokeToken",
      tags: ["account"],
      summary: "Revoke a token",
      parameters: [pathParam("id")],
      responses: { "204": { description: "Revoked" }, "404": problem("No such token"), ...authErrors },
    },
  },
  "/api/v1/users": {
    get: {
      operationId: "listUsers",
      tags: ["users"],
      summary: "List users (admin)",
      parameters: [...pageParams, queryParam("q", { type: "string" }, "Search email and name"), queryParam("role", ref("Role"))],
      responses: { "200": json("A page of users", pageOf(ref("User"))), ...authErrors },
    },
    post: {
      operationId: "createUser",
      tags: ["users"],
      summary: "Create a user, or invite one when no password is given (admin)",
      requestBody: body({
        type: "object",
        required: ["email", "roles"],
        properties: {
          email: { type: "string" },
          name: { type: "string" },
          roles: { type: "array", items: ref("Role") },
          password: { type: "string" },
        },
      }),
      responses: {
        "201": json("Created; invitationToken is set for invitations", ref("User")),
        "409": problem("Email taken (code email_taken)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/users/{id}": {
    get: {
      operationId: "getUser",
      tags: ["users"],
      summary: "One user (admin)",
      parameters: [pathParam("id")],
      responses: { "200": json("The user", ref("User")), "404": problem("No such user"), ...authErrors },
    },
    patch: {
      operationId: "updateUser",
      tags: ["users"],
      summary: "Change roles, name or the disabled flag (admin)",
      parameters: [pathParam("id")],
      requestBody: body({
        type: "object",
        properties: { name: { type: "string" }, roles: { type: "array", items: ref("Role") }, disabled: { type: "boolean" } },
      }),
      responses: { "200": json("Updated", ref("User")), "409": problem("Would leave no active admin"), ...authErrors },
    },
  },
  "/api/v1/audit": {
    get: {
      operationId: "listAuditEntries",
      tags: ["audit"],
      summary: "Audit entries, newest first (admin)",
      parameters: [
        ...pageParams,
        ...["actor", "action", "objectType", "objectId"].map((n) => queryParam(n, { type: "string" })),
        queryParam("from", { type: "string", format: "date-time" }),
        queryParam("to", { type: "string", format: "date-time" }),
      ],
      responses: { "200": json("A page of entries", pageOf(ref("AuditEntry"))), ...authErrors },
    },
  },
  "/api/v1/settings": {
    get: {
      operationId: "getSettings",
      tags: ["settings"],
      summary: "Platform settings (admin)",
      responses: { "200": json("Settings", ref("Settings")), ...authErrors },
    },
    patch: {
      operationId: "updateSettings",
      tags: ["settings"],
      summary: "Change platform settings (admin)",
      requestBody: body(ref("Settings")),
      responses: { "200": json("Settings", ref("Settings")), ...authErrors },
    },
  },
};
