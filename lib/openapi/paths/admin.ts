import { z } from "zod";
import { listDescriptors } from "@/lib/connectors/descriptors";
import { configFieldRegistry } from "@/lib/connectors/fields";
import { CONNECTOR_TYPES, ENVIRONMENT_MODES } from "@/lib/connectors/types";
import { POLICY_KINDS, RATE_UNITS } from "@/lib/services/tiers/schemas";
import { authErrors, body, json, pathParam, problem, queryParam, ref, type Json } from "../helpers";

/** Each connector's config schema as JSON Schema, with the form's labels and help. */
function connectorConfigSchema(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      const meta = configFieldRegistry.get(ctx.zodSchema as unknown as z.ZodType);
      if (!meta) return;
      const s = ctx.jsonSchema as Json;
      s.title = meta.label;
      if (meta.help) s.description = meta.help;
      if (meta.secret) {
        s.writeOnly = true;
        s.format = "password";
        s.description =
          `${meta.help ?? ""} Secret: encrypted at rest, read back as "••••••"; on PATCH, leave it out, blank or masked to keep it, or send null to clear it.`.trim();
      }
    },
  }) as Json;
  delete out.$schema;
  return out;
}

const configSchemas: Record<string, Json> = Object.fromEntries(
  listDescriptors().map((d) => [`${d.type[0].toUpperCase()}${d.type.slice(1)}Config`, connectorConfigSchema(d.configSchema)]),
);

/** Only in GET /api/v1/environments/{name}. */
const environmentDrift: Json = { ...ref("DriftCounts"), description: "Push deployments there by drift state (GET of one environment)." };

const environmentSummaryProperties: Json = {
  id: { type: "string", examples: ["env_4kT9…"] },
  name: { type: "string", pattern: "^[a-z][a-z0-9-]{1,62}$", description: "Immutable." },
  displayName: { type: "string" },
  description: { type: "string" },
  type: ref("EnvironmentType"),
  typeLabel: { type: "string" },
  mode: ref("EnvironmentMode"),
  region: { type: "string" },
  publicUrls: { type: "array", items: { type: "string", format: "uri" } },
  visibleRoles: {
    type: "array",
    items: ref("Role"),
    description: "Roles that see APIs deployed here in the developer portal; empty means everyone.",
  },
  discoveryIntervalMinutes: { type: "integer", minimum: 0, maximum: 10080, description: "0 turns discovery off." },
  snapshotVersion: { type: "integer", description: "Bumped whenever what the environment's gateways must serve changes." },
  createdAt: { type: "string", format: "date-time" },
  updatedAt: { type: "string", format: "date-time" },
};

/**
 * Admins read Environment, everyone else EnvironmentSummary. An Environment is a summary with
 * more members, so it matches both: `anyOf`, never `oneOf`, which a response matching two
 * members fails.
 */
const environmentOfRole: Json = { anyOf: [ref("Environment"), ref("EnvironmentSummary")] };

const environmentInputProperties: Json = {
  displayName: { type: "string", maxLength: 100 },
  description: { type: "string", maxLength: 2000 },
  mode: ref("EnvironmentMode"),
  region: { type: "string", maxLength: 64 },
  publicUrls: { type: "array", maxItems: 10, items: { type: "string", format: "uri" } },
  visibleRoles: { type: "array", items: ref("Role") },
  discoveryIntervalMinutes: { type: "integer", minimum: 0, maximum: 10080 },
  config: {
    type: "object",
    description:
      "Connection settings of the environment's type: see the *Config schemas. Values are strings; null clears a field on PATCH.",
    additionalProperties: { type: ["string", "null"] },
  },
};

const tierProperties: Json = {
  kind: { type: "string", enum: [...POLICY_KINDS], default: "subscription" },
  name: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_-]{0,63}$", description: "Immutable; unique per kind, ignoring case." },
  displayName: { type: "string", maxLength: 100 },
  description: { type: "string", maxLength: 1000 },
  unlimited: { type: "boolean", default: false },
  requests: { type: ["integer", "null"], minimum: 1, description: "Requests allowed per unit; required unless unlimited." },
  unit: { type: ["string", "null"], enum: [...RATE_UNITS, null] },
  burst: { type: ["integer", "null"], minimum: 1 },
  monthlyQuota: { type: ["integer", "null"], minimum: 1 },
};

export const adminSchemas: Record<string, Json> = {
  EnvironmentType: { type: "string", enum: [...CONNECTOR_TYPES] },
  EnvironmentMode: { type: "string", enum: [...ENVIRONMENT_MODES], description: "Limited to the modes the type's connector supports." },
  EnvironmentSummary: {
    type: "object",
    description: "What publishers see.",
    required: Object.keys(environmentSummaryProperties),
    properties: { ...environmentSummaryProperties, drift: environmentDrift },
  },
  Environment: {
    type: "object",
    description: "What admins see: the connection config with every secret masked.",
    required: [...Object.keys(environmentSummaryProperties), "config", "secrets", "gatewayToken", "lastTest"],
    properties: {
      ...environmentSummaryProperties,
      drift: environmentDrift,
      config: { type: "object", description: 'Secret fields read as "••••••".' },
      secrets: { type: "object", additionalProperties: { type: "object", properties: { set: { type: "boolean" } } } },
      gatewayToken: {
        type: ["object", "null"],
        properties: { prefix: { type: "string" }, createdAt: { type: "string", format: "date-time" } },
      },
      lastTest: {
        type: ["object", "null"],
        properties: { at: { type: "string", format: "date-time" }, ok: { type: "boolean" }, message: { type: "string" } },
      },
      health: {
        type: "object",
        properties: { status: { type: "string", enum: ["healthy", "degraded", "down", "unknown"] }, detail: { type: "string" } },
      },
    },
  },
  EnvironmentCreate: {
    type: "object",
    required: ["name", "type"],
    properties: {
      name: environmentSummaryProperties.name,
      type: ref("EnvironmentType"),
      ...environmentInputProperties,
      config: { ...(environmentInputProperties.config as Json), anyOf: Object.keys(configSchemas).map(ref) },
    },
  },
  EnvironmentPatch: { type: "object", description: "name and type are accepted only unchanged.", properties: environmentInputProperties },
  ConnectionTest: {
    type: "object",
    properties: {
      ok: { type: "boolean" },
      message: { type: "string" },
      errors: {
        type: "array",
        items: {
          type: "object",
          properties: { path: { type: "string", examples: ["config.secretAccessKey"] }, message: { type: "string" } },
        },
      },
      testedAt: { type: "string", format: "date-time" },
      durationMs: { type: "integer" },
    },
  },
  GatewayToken: {
    type: "object",
    properties: {
      id: { type: "string", examples: ["gwt_4Jt9xQ2mZk8vPw3R"] },
      name: { type: "string" },
      token: { type: "string", description: "Shown once." },
      prefix: { type: "string" },
      createdAt: { type: "string", format: "date-time" },
    },
  },
  GatewayTokenCreate: {
    type: "object",
    required: ["name"],
    properties: {
      name: { type: "string", maxLength: 64, description: "Unique in the environment, e.g. the gateway or replica group that uses it" },
    },
  },
  GatewayTokens: {
    type: "object",
    properties: {
      environment: { type: "string" },
      items: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: { type: "string" },
            name: { type: "string" },
            prefix: { type: "string" },
            createdAt: { type: "string", format: "date-time" },
            createdBy: { type: ["string", "null"] },
            instances: {
              type: "array",
              description: "Instances whose last heartbeat (in the last 24 hours) came with this token",
              items: {
                type: "object",
                properties: {
                  instanceId: { type: "string" },
                  region: { type: "string" },
                  status: { type: "string", enum: ["healthy", "stale"] },
                  lastSeenAt: { type: "string", format: "date-time" },
                },
              },
            },
          },
        },
      },
    },
  },
  SnapshotPropagation: {
    type: "object",
    required: [
      "environment",
      "snapshotVersion",
      "changedAt",
      "versions",
      "healthy",
      "current",
      "reachedAllMs",
      "snapshotBytes",
      "gzipBytes",
    ],
    properties: {
      environment: { type: "string" },
      snapshotVersion: { type: "integer" },
      changedAt: { type: ["string", "null"], format: "date-time", description: "When the snapshot version last changed." },
      versions: {
        type: "array",
        description: "Healthy instances per snapshot version they serve, newest first.",
        items: {
          type: "object",
          required: ["version", "instances"],
          properties: { version: { type: "integer" }, instances: { type: "integer" } },
        },
      },
      healthy: { type: "integer", description: "Instances with a heartbeat in the last 60 s." },
      current: { type: "integer", description: "Healthy instances serving the current version." },
      reachedAllMs: {
        type: ["integer", "null"],
        description: "From the last change to the last healthy instance applying it; null while some are behind.",
      },
      snapshotBytes: { type: "integer", description: "The current snapshot's size on the wire." },
      gzipBytes: { type: "integer", description: "The same, gzipped (what gateways download)." },
    },
  },
  GatewayInstances: {
    type: "object",
    properties: {
      environment: { type: "string" },
      snapshotVersion: { type: "integer" },
      items: {
        type: "array",
        items: {
          type: "object",
          properties: {
            instanceId: { type: "string" },
            region: { type: "string" },
            appliedVersion: { type: "integer" },
            upToDate: { type: "boolean" },
            status: { type: "string", enum: ["healthy", "stale"], description: "Stale after 60 s without a heartbeat." },
            firstSeenAt: { type: "string", format: "date-time" },
            lastSeenAt: { type: "string", format: "date-time" },
            lastSeenSecondsAgo: { type: "integer" },
            lastError: {
              type: ["object", "null"],
              description: "The last snapshot the instance could not apply, and why (an agent whose gateway refused the configuration).",
              properties: {
                version: { type: ["string", "null"] },
                message: { type: "string" },
                at: { type: "string", format: "date-time" },
              },
            },
          },
        },
      },
    },
  },
  Tier: {
    type: "object",
    properties: {
      id: { type: "string" },
      ...tierProperties,
      summary: { type: "string" },
      createdAt: { type: "string", format: "date-time" },
      updatedAt: { type: "string", format: "date-time" },
    },
  },
  TierCreate: { type: "object", required: ["name"], properties: tierProperties },
  TierPatch: { type: "object", description: "kind and name are accepted only unchanged.", properties: tierProperties },
  ...configSchemas,
};

const nameParam = pathParam("name", "The environment's name");
const kindParam = queryParam(
  "kind",
  { type: "string", enum: [...POLICY_KINDS], default: "subscription" },
  "Subscription tiers, application policies or API policies",
);
const notFound = problem("No such environment");

export const adminPaths: Record<string, Json> = {
  "/api/v1/environments": {
    get: {
      operationId: "listEnvironments",
      tags: ["environments"],
      summary: "List gateway environments (admins get masked config and health; publishers a summary)",
      responses: {
        "200": json("Environments", { type: "object", properties: { items: { type: "array", items: environmentOfRole } } }),
        ...authErrors,
      },
    },
    post: {
      operationId: "createEnvironment",
      tags: ["environments"],
      summary: "Register a gateway environment (admin)",
      requestBody: body(ref("EnvironmentCreate")),
      responses: {
        "201": json("Created", ref("Environment")),
        ...authErrors,
        "400": problem("Invalid input, unknown type, unsupported mode, duplicate name, missing secret: errors lists the fields"),
      },
    },
  },
  "/api/v1/environments/{name}": {
    get: {
      operationId: "getEnvironment",
      tags: ["environments"],
      summary: "One environment",
      parameters: [nameParam],
      responses: { "200": json("The environment", environmentOfRole), "404": notFound, ...authErrors },
    },
    patch: {
      operationId: "updateEnvironment",
      tags: ["environments"],
      summary: "Change an environment's settings or connection config (admin); secrets left blank keep their value",
      parameters: [nameParam],
      requestBody: body(ref("EnvironmentPatch")),
      responses: { "200": json("Updated", ref("Environment")), "404": notFound, ...authErrors },
    },
    delete: {
      operationId: "deleteEnvironment",
      tags: ["environments"],
      summary: "Delete an environment (admin)",
      parameters: [nameParam],
      responses: {
        "204": { description: "Deleted" },
        "404": notFound,
        "409": problem("Something is deployed there (code conflict)"),
        ...authErrors,
      },
    },
  },
  "/api/v1/environments/{name}/test": {
    post: {
      operationId: "testEnvironmentConnection",
      tags: ["environments"],
      summary: "Test the saved connection (admin, at most 10 s); a failed test answers 200 with ok false and field errors",
      parameters: [nameParam],
      responses: { "200": json("The outcome", ref("ConnectionTest")), "404": notFound, ...authErrors },
    },
  },
  "/api/v1/environments/{name}/token": {
    post: {
      operationId: "issueGatewayToken",
      tags: ["environments"],
      summary:
        "Issue or rotate the environment's `primary` gateway token (admin); the token is returned once. Other named tokens are untouched",
      parameters: [nameParam],
      responses: {
        "201": json("The new token", ref("GatewayToken")),
        "404": notFound,
        "409": problem("Not a pull gateway"),
        ...authErrors,
      },
    },
    delete: {
      operationId: "revokeGatewayToken",
      tags: ["environments"],
      summary: "Revoke the environment's `primary` gateway token (admin); other named tokens keep working",
      parameters: [nameParam],
      responses: { "204": { description: "Revoked" }, "404": notFound, "409": problem("Not a pull gateway"), ...authErrors },
    },
  },
  "/api/v1/environments/{name}/tokens": {
    get: {
      operationId: "listGatewayTokens",
      tags: ["environments"],
      summary: "The named gateway tokens of an environment with the instances using each (admin); never the secrets",
      parameters: [nameParam],
      responses: { "200": json("Tokens", ref("GatewayTokens")), "404": notFound, ...authErrors },
    },
    post: {
      operationId: "createGatewayToken",
      tags: ["environments"],
      summary: "Issue a named gateway token beside the others (admin); the token is returned once and no other token is revoked",
      parameters: [nameParam],
      requestBody: body(ref("GatewayTokenCreate")),
      responses: {
        "201": json("The new token", ref("GatewayToken")),
        "400": problem("Invalid name"),
        "404": notFound,
        "409": problem("Not a pull gateway, or the name is taken"),
        ...authErrors,
      },
    },
  },
  "/api/v1/environments/{name}/tokens/{id}": {
    delete: {
      operationId: "revokeNamedGatewayToken",
      tags: ["environments"],
      summary: "Revoke one named gateway token (admin): only the gateways using it are cut off",
      parameters: [nameParam, pathParam("id", "The token's id (gwt_…)")],
      responses: { "204": { description: "Revoked" }, "404": problem("No such environment or token"), ...authErrors },
    },
  },
  "/api/v1/environments/{name}/instances": {
    get: {
      operationId: "listGatewayInstances",
      tags: ["environments"],
      summary: "Gateway instances that sent heartbeats in the last 24 hours",
      parameters: [nameParam],
      responses: { "200": json("Instances", ref("GatewayInstances")), "404": notFound, ...authErrors },
    },
  },
  "/api/v1/environments/{name}/propagation": {
    get: {
      tags: ["environments"],
      operationId: "getEnvironmentPropagation",
      summary: "Which snapshot version the environment's healthy gateway instances serve, and how fast the last change reached them all",
      parameters: [nameParam],
      responses: { "200": json("Propagation", ref("SnapshotPropagation")), "404": notFound, ...authErrors },
    },
  },
  "/api/v1/tiers": {
    get: {
      operationId: "listTiers",
      tags: ["tiers"],
      summary: "Rate-limit tiers or policies of a kind",
      parameters: [kindParam],
      responses: { "200": json("Tiers", { type: "object", properties: { items: { type: "array", items: ref("Tier") } } }), ...authErrors },
    },
    post: {
      operationId: "createTier",
      tags: ["tiers"],
      summary: "Create a tier or policy (admin)",
      requestBody: body(ref("TierCreate")),
      responses: { "201": json("Created", ref("Tier")), ...authErrors },
    },
  },
  "/api/v1/tiers/{name}": {
    get: {
      operationId: "getTier",
      tags: ["tiers"],
      summary: "One tier or policy",
      parameters: [pathParam("name"), kindParam],
      responses: { "200": json("The tier", ref("Tier")), "404": problem("No such tier"), ...authErrors },
    },
    patch: {
      operationId: "updateTier",
      tags: ["tiers"],
      summary: "Change a tier's limits or labels (admin)",
      parameters: [pathParam("name"), kindParam],
      requestBody: body(ref("TierPatch")),
      responses: { "200": json("Updated", ref("Tier")), "404": problem("No such tier"), ...authErrors },
    },
    delete: {
      operationId: "deleteTier",
      tags: ["tiers"],
      summary: "Delete a tier or policy (admin)",
      parameters: [pathParam("name"), kindParam],
      responses: {
        "204": { description: "Deleted" },
        "404": problem("No such tier"),
        "409": problem("In use: `usages` lists the APIs and subscriptions"),
        ...authErrors,
      },
    },
  },
};
