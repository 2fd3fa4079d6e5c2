import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { DEFAULTS, type GatewayConfig } from "../../config";
import { startGateway, type RunningGateway } from "../../gateway";
import { startBackend } from "./backend";
import { FakeControlPlane } from "./fake-control-plane";
import { AUDIENCE, ISSUER, TestKeys } from "./keys";

export const API_KEY = "mrd_test_key_production";
export const SANDBOX_API_KEY = "mrd_test_key_sandbox";
export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/**
 * The snapshot the integration tests serve: `/pets` (v1, default) protected by tokens or keys,
 * with an open `/health`, a sandbox upstream, CORS and an operation limited to 3 per minute;
 * `/tight` whose Bronze tier allows 2 requests per minute; `/metered` whose Metered tier allows
 * 3 requests a month.
 */
export function testSnapshot(backendUrl: string, keys: TestKeys, version = "1", overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    format: 1,
    version,
    generatedAt: new Date().toISOString(),
    environment: { name: "test", region: "local" },
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks: { keys: [keys.jwk] },
    apis: [
      {
        id: "api_pets",
        name: "Pets",
        context: "/pets",
        version: "v1",
        isDefaultVersion: true,
        lifecycleState: "PUBLISHED",
        revisionId: "rev_1",
        upstream: { production: `${backendUrl}/prod`, sandbox: `${backendUrl}/sandbox`, timeoutMs: 500 },
        security: ["oauth2", "apiKey"],
        operations: [
          { method: "GET", path: "/" },
          { method: "GET", path: "/{id}" },
          { method: "GET", path: "/health", open: true },
          { method: "GET", path: "/slow" },
          { method: "GET", path: "/stream" },
          { method: "POST", path: "/upload" },
          { method: "POST", path: "/", scopes: ["pets:write"] },
          { method: "GET", path: "/limited/op", rateLimit: { requests: 3, unit: "minute", burst: 3 } },
        ],
        cors: {
          enabled: true,
          origins: ["https://app.example.com"],
          methods: ["GET", "POST"],
          headers: ["authorization"],
          credentials: false,
          maxAge: 600,
        },
      },
      {
        id: "api_tight",
        name: "Tight",
        context: "/tight",
        version: "v1",
        isDefaultVersion: true,
        lifecycleState: "PUBLISHED",
        revisionId: "rev_2",
        upstream: { production: backendUrl, sandbox: null },
        security: ["oauth2", "apiKey"],
        operations: [{ method: "GET", path: "/*" }],
      },
      {
        id: "api_metered",
        name: "Metered",
        context: "/metered",
        version: "v1",
        isDefaultVersion: true,
        lifecycleState: "PUBLISHED",
        revisionId: "rev_4",
        upstream: { production: backendUrl, sandbox: null },
        security: ["apiKey"],
        operations: [{ method: "GET", path: "/*" }],
      },
      {
        id: "api_down",
        name: "Down",
        context: "/down",
        version: "v1",
        isDefaultVersion: true,
        lifecycleState: "PUBLISHED",
        revisionId: "rev_3",
        // Port 9 (discard) on loopback: nothing listens there, so connecting fails at once.
        upstream: { production: "http://127.0.0.1:9", sandbox: null },
        security: [],
        operations: [{ method: "GET", path: "/*" }],
      },
    ],
    subscriptions: [
      { id: "sub_1", applicationId: "app_1", apiId: "api_pets", tier: "Gold", status: "active" },
      { id: "sub_2", applicationId: "app_1", apiId: "api_tight", tier: "Bronze", status: "active" },
      { id: "sub_3", applicationId: "app_blocked", apiId: "api_pets", tier: "Gold", status: "blocked" },
      { id: "sub_4", applicationId: "app_1", apiId: "api_metered", tier: "Metered", status: "active" },
    ],
    apiKeys: [
      { hash: sha256(API_KEY), applicationId: "app_1", keyType: "production", expiresAt: null },
      { hash: sha256(SANDBOX_API_KEY), applicationId: "app_1", keyType: "sandbox" },
      { hash: sha256("mrd_expired"), applicationId: "app_1", keyType: "production", expiresAt: "2020-01-01T00:00:00Z" },
    ],
    revokedTokenIds: [],
    tiers: [
      { name: "Gold", requests: 10_000, unit: "minute", burst: 1000, unlimited: false },
      { name: "Bronze", requests: 2, unit: "minute", burst: 2, unlimited: false },
      { name: "Metered", requests: 1000, unit: "minute", burst: 1000, unlimited: false, monthlyQuota: 3 },
    ],
    applicationPolicies: {},
    ...overrides,
  };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "meridian-gw-"));
}

export function testConfig(cp: FakeControlPlane, cacheDir: string, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    ...DEFAULTS,
    environment: "test",
    port: 0,
    host: "127.0.0.1",
    controlPlaneUrl: cp.url,
    token: cp.token,
    cacheDir,
    region: "local",
    instanceId: "gw-test",
    eventFlushMs: 100,
    // Every request also as a raw event: these tests follow single requests.
    eventSample: 1,
    drainTimeoutMs: 3_000,
    ...overrides,
  };
}

export interface Stack {
  cp: FakeControlPlane;
  keys: TestKeys;
  backendUrl: string;
  gateway: RunningGateway;
  cacheDir: string;
  close: () => Promise<void>;
}

/** Control plane with a published snapshot, a backend, and a gateway that has applied it. */
export async function startStack(): Promise<Stack> {
  const cp = new FakeControlPlane();
  await cp.start();
  const backend = await startBackend();
  const keys = await TestKeys.create();
  cp.publish(testSnapshot(backend.url, keys));
  const cacheDir = tempDir();
  const gateway = await startGateway(testConfig(cp, cacheDir));
  await waitFor(() => gateway.appliedVersion() === "1");
  return {
    cp,
    keys,
    backendUrl: backend.url,
    gateway,
    cacheDir,
    close: async () => {
      await gateway.stop();
      await cp.stop();
      await backend.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error("Timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}
