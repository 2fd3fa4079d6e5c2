import { foundationPaths, foundationSchemas } from "./paths/foundation";
import { apiPaths, apiSchemas } from "./paths/apis";
import { adminPaths, adminSchemas } from "./paths/admin";
import { developerPaths, developerSchemas } from "./paths/developer";
import { analyticsPaths, analyticsSchemas } from "./paths/analytics";
import { runtimePaths, runtimeSchemas } from "./paths/runtime";
import { projectPaths, projectSchemas } from "./paths/project";
import { keyManagerPaths, keyManagerSchemas } from "./paths/key-managers";
import type { Json } from "./helpers";

/** Each feature contributes its paths and schemas; the document is their union. */
const PARTS: Array<{ paths: Record<string, Json>; schemas: Record<string, Json> }> = [
  { paths: foundationPaths, schemas: foundationSchemas },
  { paths: apiPaths, schemas: apiSchemas },
  { paths: adminPaths, schemas: adminSchemas },
  { paths: analyticsPaths, schemas: analyticsSchemas },
  { paths: runtimePaths, schemas: runtimeSchemas },
  { paths: developerPaths, schemas: developerSchemas },
  { paths: projectPaths, schemas: projectSchemas },
  { paths: keyManagerPaths, schemas: keyManagerSchemas },
];

/** Every tag an operation uses, in the order readers meet them. */
const TAGS: Array<{ name: string; description: string }> = [
  { name: "system", description: "Health of the control plane" },
  { name: "account", description: "The caller and their personal access tokens" },
  { name: "users", description: "Users and roles (admin)" },
  { name: "audit", description: "The audit log (admin)" },
  { name: "settings", description: "Platform settings (admin)" },
  { name: "apis", description: "APIs, their definitions, operations, lifecycle, revisions and documents" },
  { name: "deployments", description: "Deploying revisions to gateway environments" },
  { name: "jobs", description: "Durable jobs (deployments, discovery)" },
  { name: "project", description: "APIs as code: plan, apply and export a project file" },
  { name: "environments", description: "Gateway environments, their connections, tokens, instances and discovery" },
  { name: "tiers", description: "Rate-limit tiers and policies" },
  { name: "analytics", description: "Gateway traffic" },
  { name: "catalog", description: "The developer portal's API catalog" },
  { name: "applications", description: "Consumers' applications, OAuth2 clients and API keys" },
  { name: "subscriptions", description: "Subscriptions of applications to APIs, and their approval" },
  { name: "key managers", description: "Key managers: Meridian's own and external OpenID providers whose tokens gateways accept" },
  { name: "keys", description: "The key manager's signing keys" },
  { name: "oauth2", description: "The key manager: tokens, revocation, JWKS and discovery" },
  { name: "gateway sync", description: "What gateways pull and report (gateway token)" },
];

export function buildOpenApiDocument(version: string): Json {
  const paths: Record<string, Json> = {};
  const schemas: Record<string, Json> = {};
  for (const part of PARTS) {
    Object.assign(paths, part.paths);
    Object.assign(schemas, part.schemas);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Meridian management API",
      version,
      description:
        "Everything the Meridian portals do. Authenticate with a personal access token: `Authorization: Bearer mpat_…`. Errors are application/problem+json with a stable `code`.",
    },
    servers: [{ url: "/" }],
    tags: TAGS,
    security: [{ bearerToken: [] }],
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "A personal access token (mpat_…)" },
        gatewayToken: { type: "http", scheme: "bearer", description: "An environment's gateway token (gateway sync API only)" },
        clientBasic: { type: "http", scheme: "basic", description: "OAuth2 client id and secret (client_secret_basic)" },
      },
      schemas,
    },
    paths,
  };
}
