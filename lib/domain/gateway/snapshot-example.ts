import type { Snapshot } from "./snapshot";

/**
 * A small, valid snapshot: documentation of the contract by example, and the base that tests
 * on both sides modify.
 */
export function exampleSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    format: 1,
    version: "42",
    generatedAt: "2025-01-01T00:00:00.000Z",
    environment: { name: "default", region: "eu-west-1" },
    issuer: "http://localhost:3000",
    audience: "meridian-gateway",
    jwks: {
      keys: [
        {
          kty: "EC",
          kid: "key-1",
          alg: "ES256",
          use: "sig",
          crv: "P-256",
          x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
          y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
        },
      ],
    },
    apis: [
      {
        id: "api_pets_v1",
        name: "Pets",
        context: "/pets",
        version: "v1",
        isDefaultVersion: true,
        lifecycleState: "PUBLISHED",
        revisionId: "rev_1",
        upstream: { production: "http://127.0.0.1:9000/pets", sandbox: "http://127.0.0.1:9001/pets" },
        security: ["oauth2", "apiKey"],
        operations: [
          { method: "GET", path: "/" },
          { method: "GET", path: "/{id}", rateLimit: { requests: 100, unit: "second", burst: 100 } },
          { method: "POST", path: "/", scopes: ["pets:write"] },
          { method: "GET", path: "/health", open: true },
        ],
        rateLimit: { requests: 1000, unit: "second", burst: 2000 },
        cors: {
          enabled: true,
          origins: ["https://app.example.com"],
          methods: ["GET", "POST"],
          headers: ["authorization", "content-type"],
          credentials: false,
          maxAge: 600,
        },
      },
    ],
    subscriptions: [{ id: "sub_1", applicationId: "app_1", apiId: "api_pets_v1", tier: "Gold", status: "active" }],
    apiKeys: [{ hash: "a".repeat(64), applicationId: "app_1", keyType: "production", expiresAt: null }],
    revokedTokenIds: [{ jti: "revoked-1", expiresAt: "2030-01-01T00:00:00.000Z" }],
    tiers: [
      { name: "Gold", requests: 5000, unit: "minute", burst: 500, unlimited: false, monthlyQuota: 1_000_000 },
      { name: "Unlimited", requests: 0, unit: "minute", burst: 0, unlimited: true },
    ],
    applicationPolicies: { app_1: { requests: 10000, unit: "hour", burst: 1000 } },
    ...overrides,
  };
}
