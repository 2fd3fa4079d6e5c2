import { foundationPaths, foundationSchemas } from "./paths/foundation";
import { apiPaths, apiSchemas } from "./paths/apis";
import { adminPaths, adminSchemas } from "./paths/admin";
import { developerPaths, developerSchemas } from "./paths/developer";
import { analyticsPaths, analyticsSchemas } from "./paths/analytics";
import { runtimePaths, runtimeSchemas } from "./paths/runtime";
import type { Json } from "./helpers";

/** Each feature contributes its paths and schemas; the document is their union. */
const PARTS: Array<{ paths: Record<string, Json>; schemas: Record<string, Json> }> = [{ paths: foundationPaths, schemas: foundationSchemas }, { paths: apiPaths, schemas: apiSchemas }, { paths: adminPaths, schemas: adminSchemas }, { paths: analyticsPaths, schemas: analyticsSchemas }, { paths: runtimePaths, schemas: runtimeSchemas }, { paths: developerPaths, schemas: developerSchemas }];

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
      description: "Everything the Meridian portals do. Authenticate with a personal access token: `Authorization: Bearer mpat_…`. Errors are application/problem+json with a stable `code`.",
    },
    servers: [{ url: "/" }],
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
