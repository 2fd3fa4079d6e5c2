import type { ApiSettingsSnapshot } from "@/lib/db/schema/apis";
import type { DeploymentInput, DeploymentTier } from "./types";
import { offeredTiers } from "@/lib/domain/tiers/offered-tiers";

/** The canonical API that connector tests translate: three operations, one path parameter, CORS on. */
export const SAMPLE_DEFINITION: Record<string, unknown> = {
  openapi: "3.0.3",
  info: { title: "Orders", version: "v1", description: "Orders & <returns>" },
  paths: {
    "/orders": {
      get: { operationId: "listOrders", summary: "List orders", responses: { "200": { description: "Orders" } } },
      post: {
        operationId: "createOrder",
        requestBody: { content: { "application/json": { schema: { type: "object" } } } },
        responses: { "201": { description: "Created" } },
      },
    },
    "/orders/{orderId}": {
      parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "string" } }],
      get: { operationId: "getOrder", responses: { "200": { description: "One order" }, "404": { description: "Not found" } } },
    },
    "/health": { get: { operationId: "health", responses: { "200": { description: "Up" } } } },
  },
};

export const SAMPLE_TIERS: DeploymentTier[] = [
  { name: "Gold", displayName: "Gold", requests: 5000, unit: "minute", burst: 500, monthlyQuota: 1_000_000, unlimited: false },
  { name: "Bronze", displayName: "Bronze", requests: 10, unit: "second", burst: 20, monthlyQuota: null, unlimited: false },
  { name: "Unlimited", displayName: "Unlimited", requests: null, unit: null, burst: null, monthlyQuota: null, unlimited: true },
];

export function sampleSettings(overrides: Partial<ApiSettingsSnapshot> = {}): ApiSettingsSnapshot {
  return {
    name: "Orders",
    description: "Orders & <returns>",
    version: "v1",
    context: "/orders-api",
    tags: [],
    visibility: "public",
    visibleRoles: [],
    endpoints: { production: "http://backend.example.test:8080/base", sandbox: null, overrides: {} },
    security: { scheme: "apiKey", apiKeyHeader: "x-api-key" },
    rateLimit: null,
    cors: {
      enabled: true,
      origins: ["https://app.example.com"],
      methods: ["GET", "POST"],
      headers: ["content-type", "x-api-key"],
      credentials: false,
    },
    allowedTiers: ["Gold", "Bronze", "Unlimited"],
    // /health is open; POST /orders has its own limit.
    operationPolicies: {
      "GET /health": { security: "none", rateLimit: null },
      "POST /orders": { security: null, rateLimit: { requests: 5, unit: "second", burst: 5 } },
    },
    ...overrides,
  };
}

/** A complete DeploymentInput for the sample API; tests override what they vary. */
export function sampleDeploymentInput(config: Record<string, unknown>, overrides: Partial<DeploymentInput> = {}): DeploymentInput {
  const settings = overrides.revision?.settings ?? sampleSettings();
  return {
    config,
    environment: { name: "aws-eu", region: "eu-west-1", publicUrls: [] },
    api: { id: "api_orders", name: settings.name, version: settings.version, context: settings.context, description: settings.description },
    revision: { id: "rev_orders_1", number: 1, definition: SAMPLE_DEFINITION, settings },
    endpoint: settings.endpoints.production!,
    tiers: offeredTiers(settings.allowedTiers, SAMPLE_TIERS),
    keyManager: {
      issuer: "http://localhost:3000",
      audience: "meridian-gateways",
      jwksUri: "http://localhost:3000/oauth2/jwks",
      openidConfigurationUrl: "http://localhost:3000/.well-known/openid-configuration",
    },
    idempotencyKey: "dep_sample:1",
    ...overrides,
  };
}
