import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { AUDIENCE, ISSUER, type TestKeys } from "@/gateway/tests/support/keys";

/**
 * What the stand-in control plane serves the gateway in both gateway benchmarks: one OAuth2 API
 * in front of the benchmark backend, one subscribed application, a tier that never triggers.
 */
export function benchSnapshot(backendPort: number, keys: TestKeys): Snapshot {
  return {
    format: 1,
    version: "bench",
    generatedAt: new Date().toISOString(),
    environment: { name: "bench", region: null },
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks: { keys: [keys.jwk] },
    apis: [
      {
        id: "api_bench",
        name: "Bench",
        context: "/bench",
        version: "v1",
        isDefaultVersion: true,
        lifecycleState: "PUBLISHED",
        revisionId: "rev_1",
        upstream: { production: `http://127.0.0.1:${backendPort}`, sandbox: null },
        security: ["oauth2"],
        operations: [{ method: "GET", path: "/pets/{id}" }],
      },
    ],
    subscriptions: [{ id: "sub_1", applicationId: "app_1", apiId: "api_bench", tier: "Huge", status: "active" }],
    apiKeys: [],
    revokedTokenIds: [],
    tiers: [{ name: "Huge", requests: 1_000_000_000, unit: "minute", burst: 1_000_000, unlimited: false }],
    applicationPolicies: {},
  };
}
