import { z } from "zod";

/**
 * The project file (`meridian.yaml`): the APIs a team keeps in Git, the subscription tiers they
 * rely on, and which environments run which API. Environments and their secrets stay in the
 * admin portal: the file only names them. The same zod schema validates the file and, turned
 * into JSON Schema, is published at /api/v1/schemas/project.json for editors.
 */

export const PROJECT_API_VERSION = "meridian/v1";

const name = z.string().trim().min(1).max(120);
const url = z.string().trim().max(2000);
const nullableUrl = url.nullable().optional();
const rateUnit = z.enum(["second", "minute", "hour", "day"]);

export const projectTierSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "Tier names use 1 to 64 letters, digits, '-' and '_', starting with a letter."),
    displayName: z.string().trim().max(100).optional(),
    description: z.string().trim().max(1000).optional(),
    unlimited: z.boolean().default(false),
    requests: z.number().int().min(1).nullable().optional(),
    unit: rateUnit.nullable().optional(),
    burst: z.number().int().min(1).nullable().optional(),
    monthlyQuota: z.number().int().min(1).nullable().optional(),
  })
  .strict();

export const projectDocumentSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    kind: z.enum(["how-to", "sample", "other"]).default("how-to"),
    /** A Markdown file beside the project file, or inline Markdown, or an external link. */
    file: z.string().trim().min(1).max(500).optional(),
    content: z.string().max(200_000).optional(),
    url: url.optional(),
  })
  .strict()
  .refine((d) => [d.file, d.content, d.url].filter((v) => v !== undefined).length === 1, {
    message: "Give exactly one of file, content or url.",
  });

export const projectApiSchema = z
  .object({
    name,
    version: z.string().trim().min(1).max(50),
    context: z.string().trim().min(1).max(200),
    /** The OpenAPI document (2.0 or 3.x, JSON or YAML), relative to the project file. */
    definition: z.string().trim().min(1).max(500),
    description: z.string().max(5000).optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
    visibility: z.enum(["public", "roles"]).optional(),
    visibleRoles: z.array(z.string()).max(10).optional(),
    endpoints: z
      .object({
        production: nullableUrl,
        sandbox: nullableUrl,
        overrides: z.record(z.string(), z.object({ production: nullableUrl, sandbox: nullableUrl }).strict()).optional(),
      })
      .strict()
      .optional(),
    security: z
      .object({ scheme: z.enum(["oauth2", "apiKey", "none"]), apiKeyHeader: z.string().trim().min(1).max(100).optional() })
      .strict()
      .optional(),
    rateLimit: z
      .object({ requests: z.number().int().min(1), unit: rateUnit, burst: z.number().int().min(0).optional() })
      .strict()
      .nullable()
      .optional(),
    cors: z
      .object({
        enabled: z.boolean(),
        origins: z.array(z.string()).max(100).optional(),
        methods: z.array(z.string()).max(10).optional(),
        headers: z.array(z.string()).max(100).optional(),
        credentials: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Names of subscription tiers the API offers (declared in this file or already in Meridian). */
    tiers: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
    documents: z.array(projectDocumentSchema).max(50).optional(),
  })
  .strict();

export const projectDeploymentSchema = z
  .object({
    /** The API's name, or `name@version` when the file holds several versions of it. */
    api: z.string().trim().min(1).max(200),
    environments: z.array(z.string().trim().min(1).max(63)).min(1).max(50),
  })
  .strict();

export const projectSchema = z
  .object({
    apiVersion: z.literal(PROJECT_API_VERSION),
    tiers: z.array(projectTierSchema).max(100).optional(),
    apis: z.array(projectApiSchema).max(100).optional(),
    deployments: z.array(projectDeploymentSchema).max(500).optional(),
  })
  .strict();

export type Project = z.output<typeof projectSchema>;
export type ProjectApi = z.output<typeof projectApiSchema>;
export type ProjectTier = z.output<typeof projectTierSchema>;
export type ProjectDocument = z.output<typeof projectDocumentSchema>;

/** The JSON Schema of the project file, for editors (yaml-language-server) and pipelines. */
export function projectJsonSchema(baseUrl?: string): Record<string, unknown> {
  const schema = z.toJSONSchema(projectSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
  return {
    ...schema,
    ...(baseUrl ? { $id: `${baseUrl.replace(/\/+$/, "")}/api/v1/schemas/project.json` } : {}),
    title: "Meridian project file",
    description: "APIs, tiers and deployments kept in a repository and applied with `meridian plan` / `meridian apply`.",
  };
}

/** `name@version` for messages and references. */
export const apiKeyOf = (api: { name: string; version: string }) => `${api.name}@${api.version}`;
