import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { isSafeExternalUrl } from "@/lib/domain/markdown";
import { LIFECYCLE_ACTIONS, LIFECYCLE_STATES } from "@/lib/domain/lifecycle";
import { RATE_LIMIT_UNITS, SECURITY_SCHEMES } from "@/lib/domain/openapi/operations";
import { isScopeToken, MAX_OPERATION_SCOPES, MAX_SCOPE_LENGTH, normalizeScopes } from "@/lib/domain/openapi/scopes";
import { HTTP_METHODS } from "@/lib/domain/openapi/types";
import { paginationSchema } from "@/lib/services/pagination";

/** Input schemas of the API design services, shared by forms, actions and route handlers. */

export const apiNameSchema = z.string().trim().min(1, "Give the API a name.").max(120, "Use at most 120 characters.");
export const apiVersionSchema = z
  .string()
  .trim()
  .min(1, "Give a version, such as 1.0.0 or v2.")
  .max(50, "Use at most 50 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, '.', '_' and '-' (for example 1.0.0 or v2).");
export const apiContextSchema = z
  .string()
  .trim()
  .max(200, "Use at most 200 characters.")
  .transform((v) => (v.length > 1 ? v.replace(/\/+$/, "") : v))
  .pipe(
    z
      .string()
      .regex(
        /^(\/[a-z0-9][a-z0-9._-]*)+$/,
        "Use a base path such as /pets or /shop/orders: lowercase letters, digits, '.', '_' and '-' per segment.",
      ),
  );
export const descriptionSchema = z.string().trim().max(5000, "Use at most 5000 characters.");
export const tagsSchema = z
  .array(z.string().trim().min(1).max(50, "Tags have at most 50 characters."))
  .max(30, "At most 30 tags.")
  .transform((t) => [...new Set(t)]);

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => isSafeExternalUrl(v), "Use an absolute http or https URL.");
const optionalUrl = z
  .union([httpUrl, z.literal(""), z.null()])
  .optional()
  .transform((v) => v || null);

export const environmentNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "Environment names use letters, digits, '.', '_' and '-'.");

export const endpointsSchema = z.object({
  production: optionalUrl,
  sandbox: optionalUrl,
  overrides: z
    .record(environmentNameSchema, z.object({ production: optionalUrl, sandbox: optionalUrl }))
    .default({})
    .refine((o) => Object.keys(o).length <= 50, "At most 50 environment overrides."),
});

export const securitySchema = z.object({
  scheme: z.enum(SECURITY_SCHEMES),
  apiKeyHeader: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, "Use a valid header name.")
    .default("apikey"),
});

export const rateLimitSchema = z.object({
  requests: z.coerce.number().int("Use a whole number.").min(1, "At least 1 request.").max(1_000_000_000),
  unit: z.enum(RATE_LIMIT_UNITS),
  burst: z.coerce.number().int("Use a whole number.").min(0, "Burst cannot be negative.").max(1_000_000_000).default(0),
});

const CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export const corsSchema = z
  .object({
    enabled: z.boolean(),
    origins: z
      .array(
        z
          .string()
          .trim()
          .refine((o) => o === "*" || /^https?:\/\/[^/\s]+$/.test(o), "Use * or an origin such as https://app.example.com (no path)."),
      )
      .max(100)
      .default([]),
    methods: z.array(z.enum(CORS_METHODS)).max(CORS_METHODS.length).default(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
    headers: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, "Use valid header names."),
      )
      .max(100)
      .default(["authorization", "content-type"]),
    credentials: z.boolean().default(false),
  })
  // Browsers refuse credentials with a wildcard origin; saying so here saves a puzzled debug.
  .refine((c) => !(c.credentials && c.origins.includes("*")), {
    message: "Credentials cannot be allowed with the * origin: list the origins.",
    path: ["origins"],
  });

export const visibilitySchema = z.enum(["public", "roles"]);
export const visibleRolesSchema = z
  .array(z.enum(ROLES))
  .max(ROLES.length)
  .transform((r) => [...new Set(r)]);
export const tierNamesSchema = z
  .array(z.string().trim().min(1, "Tier names cannot be empty.").max(64))
  .max(50)
  .transform((t) => [...new Set(t)]);
export const ownersSchema = z
  .array(z.string().trim().min(1).max(254))
  .min(1, "An API needs at least one owner.")
  .max(20, "At most 20 owners.")
  .transform((o) => [...new Set(o)]);

/** The settings a publisher edits (PATCH): every field optional. */
export const apiSettingsSchema = z
  .object({
    name: apiNameSchema,
    description: descriptionSchema,
    version: apiVersionSchema,
    context: apiContextSchema,
    tags: tagsSchema,
    visibility: visibilitySchema,
    visibleRoles: visibleRolesSchema,
    endpoints: endpointsSchema,
    security: securitySchema,
    rateLimit: rateLimitSchema.nullable(),
    cors: corsSchema,
    allowedTiers: tierNamesSchema,
    /** User ids or emails of everyone who may edit the API. */
    owners: ownersSchema,
  })
  .partial()
  .strict();
export type ApiSettingsInput = z.input<typeof apiSettingsSchema>;

export const scratchOperationSchema = z.object({
  method: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(HTTP_METHODS, { message: "Use an HTTP method such as GET or POST." })),
  path: z
    .string()
    .trim()
    .regex(/^\/[^\s?#]*$/, "Paths start with / and have no spaces, query or fragment (for example /pets/{id})."),
  summary: z.string().trim().max(300).optional(),
});

/** POST /api/v1/apis: import (definition or definitionUrl), from scratch (operations), or neither. */
export const createApiSchema = z
  .object({
    name: apiNameSchema.optional(),
    version: apiVersionSchema.optional(),
    context: apiContextSchema.optional(),
    description: descriptionSchema.optional(),
    tags: tagsSchema.optional(),
    endpoints: endpointsSchema.optional(),
    security: securitySchema.optional(),
    rateLimit: rateLimitSchema.nullable().optional(),
    cors: corsSchema.optional(),
    visibility: visibilitySchema.optional(),
    visibleRoles: visibleRolesSchema.optional(),
    allowedTiers: tierNamesSchema.optional(),
    /** The document as JSON or YAML text, or as a JSON object. */
    definition: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    definitionUrl: z.string().trim().max(2000).optional(),
    /** For an API started from scratch. */
    operations: z.array(scratchOperationSchema).max(200, "Start with at most 200 operations; add more in the editor.").optional(),
  })
  .strict()
  .refine((v) => !(v.definition !== undefined && v.definitionUrl), {
    message: "Give either a definition or a definitionUrl, not both.",
    path: ["definitionUrl"],
  })
  .refine((v) => !((v.definition !== undefined || v.definitionUrl) && v.operations), {
    message: "Operations are for an API started from scratch; the imported document already lists its own.",
    path: ["operations"],
  });
export type CreateApiInput = z.input<typeof createApiSchema>;

export const createApiVersionSchema = z.object({ version: apiVersionSchema, context: apiContextSchema.optional() }).strict();

export const listApisSchema = paginationSchema.extend({
  q: z.string().trim().max(200).optional(),
  state: z.enum(LIFECYCLE_STATES).optional(),
});

export const listOperationsSchema = paginationSchema.extend({
  q: z.string().trim().max(200).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** OAuth2 scopes of one operation: scope tokens (RFC 6749 §3.3), kept sorted and once each. */
export const operationScopesSchema = z
  .array(
    z
      .string()
      .trim()
      .refine(
        isScopeToken,
        `A scope is 1 to ${MAX_SCOPE_LENGTH} visible ASCII characters without spaces, quotes or backslashes (for example read:pets).`,
      ),
  )
  .max(MAX_OPERATION_SCOPES, `At most ${MAX_OPERATION_SCOPES} scopes per operation.`)
  .transform((scopes) => normalizeScopes(scopes.filter(Boolean)));

export const operationPolicySchema = z
  .object({
    method: z.string().trim().toLowerCase().pipe(z.enum(HTTP_METHODS)),
    path: z.string().min(1).max(2000),
    security: z.enum(SECURITY_SCHEMES).nullable(),
    rateLimit: rateLimitSchema.nullable(),
    /** Required of an OAuth2 token, all of them; null follows the document; absent keeps them as they are. */
    scopes: operationScopesSchema.nullable().optional(),
  })
  .strict();

export const lifecycleActionSchema = z
  .object({ action: z.enum(LIFECYCLE_ACTIONS, { message: `Use one of: ${LIFECYCLE_ACTIONS.join(", ")}.` }) })
  .strict();

export const createRevisionSchema = z
  .object({ description: z.string().trim().max(500, "Use at most 500 characters.").default("") })
  .strict();

export const DOCUMENT_KINDS = ["how-to", "sample", "other"] as const;

const documentBase = {
  title: z.string().trim().min(1, "Give the document a title.").max(200, "Use at most 200 characters."),
  kind: z.enum(DOCUMENT_KINDS),
};
export const createDocumentSchema = z.discriminatedUnion("sourceType", [
  z
    .object({
      ...documentBase,
      sourceType: z.literal("markdown"),
      content: z.string().max(200_000, "Documents have at most 200,000 characters.").default(""),
    })
    .strict(),
  z.object({ ...documentBase, sourceType: z.literal("url"), url: httpUrl }).strict(),
]);
export type CreateDocumentInput = z.input<typeof createDocumentSchema>;
export const updateDocumentSchema = z
  .object({
    title: documentBase.title,
    kind: documentBase.kind,
    content: z.string().max(200_000, "Documents have at most 200,000 characters."),
    url: httpUrl,
  })
  .partial()
  .strict();
