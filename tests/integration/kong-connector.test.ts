import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKongEmulator, type KongEmulator } from "@/e2e/emulators/kong/server";
import { kongConnector } from "@/lib/connectors/kong/connector";
import { sampleDeploymentInput, sampleSettings, SAMPLE_DEFINITION } from "@/lib/connectors/sample-input";
import { ConnectorError, type DeploymentInput, type DeploymentRef, type DeploymentTier } from "@/lib/connectors/types";

// The connector over HTTP against the Kong emulator, in both of Kong's storage modes; calls go
// through the emulator's proxy to a local backend.

const TOKEN = "kong-admin-secret";
const CONTROL_PLANE = "6c0d2a4e-5b1f-4c3a-9e7d-1a2b3c4d5e6f";
let backend: http.Server;
let backendUrl = "";
const backendCalls: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }> = [];
let signing: { privateKey: CryptoKey; pem: string };
let rotated: { privateKey: CryptoKey; pem: string };

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const keyPair = async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  return { privateKey: pair.privateKey as CryptoKey, pem: await exportSPKI(pair.publicKey) };
};

beforeAll(async () => {
  backend = http.createServer((req, res) => {
    backendCalls.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, url: req.url }));
  });
  backendUrl = await listen(backend);
  signing = await keyPair();
  rotated = await keyPair();
});

afterAll(async () => {
  backend?.closeAllConnections();
  await new Promise((r) => backend?.close(r));
});

const TIERS: DeploymentTier[] = [
  { name: "Gold", displayName: "Gold", requests: 100, unit: "minute", burst: 100, monthlyQuota: null, unlimited: false },
  { name: "Bronze", displayName: "Bronze", requests: 2, unit: "minute", burst: 2, monthlyQuota: null, unlimited: false },
];

const token = (key: CryptoKey, clientId: string, expiresIn = "5m") =>
  new SignJWT({ client_id: clientId })
    .setProtectedHeader({ alg: "ES256", kid: "k1" })
    .setIssuer("http://meridian.test")
    .setAudience("meridian-gateways")
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);

describe.each(["database", "dbless"] as const)("Kong connector, %s mode", (mode) => {
  let emu: KongEmulator;
  let config: Record<string, unknown>;

  beforeAll(async () => {
    emu = await startKongEmulator({ mode, adminTokens: [TOKEN], maxPageSize: 2 });
    config = { adminUrl: emu.adminUrl, adminToken: TOKEN, ...(mode === "dbless" ? { mode } : {}) };
  });
  afterAll(() => emu?.close());
  beforeEach(() => {
    emu.reset();
    backendCalls.length = 0;
  });

  function input(
    o: {
      apiId?: string;
      context?: string;
      scheme?: "oauth2" | "apiKey" | "none";
      number?: number;
      definition?: Record<string, unknown>;
      cfg?: Record<string, unknown>;
    } = {},
  ): DeploymentInput {
    const settings = sampleSettings({
      context: o.context ?? "/orders-api",
      security: { scheme: o.scheme ?? "apiKey", apiKeyHeader: "x-api-key" },
      allowedTiers: TIERS.map((t) => t.name),
      operationPolicies: { "GET /health": { security: "none", rateLimit: null } },
      endpoints: { production: `${backendUrl}/base`, sandbox: null, overrides: {} },
    });
    const base = sampleDeploymentInput(o.cfg ?? config);
    return {
      ...base,
      environment: { name: "kong", region: "local", publicUrls: [emu.proxyUrl] },
      api: { ...base.api, id: o.apiId ?? "api_orders", context: settings.context },
      revision: { id: `rev_${o.number ?? 1}`, number: o.number ?? 1, definition: o.definition ?? SAMPLE_DEFINITION, settings },
      endpoint: `${backendUrl}/base`,
      tiers: TIERS,
    };
  }

  const call = async (path: string, headers: Record<string, string> = {}, method = "GET") => {
    const res = await fetch(`${emu.proxyUrl}${path}`, { method, headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  const subscribe = (ref: DeploymentRef, app: string, tier: string, key: { id: string; value: string; kind?: "jwt"; clientId?: string }) =>
    kongConnector.provisionKey!({
      config,
      ref,
      subscription: { id: `sub_${app}_${ref.ids.apiId}`, applicationId: app, applicationName: app, tier },
      key: { ...key, keyType: "production" },
      idempotencyKey: `${app}:${key.id}`,
    });

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.adminUrl}${path}`, {
      method,
      headers: { "kong-admin-token": TOKEN, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  /** Every entity Kong holds, as GET /_emulator/state exports it. */
  const held = async () =>
    (
      (await (await fetch(`${emu.adminUrl}/_emulator/state`)).json()) as {
        workspaces: { default: Record<string, Array<Record<string, unknown>>> };
      }
    ).workspaces.default;

  it("deploys an API-key API: a subscribed key passes, the backend sees its own path, others are refused", async () => {
    const ref = await kongConnector.deploy(input());
    expect(ref).toMatchObject({ type: "kong", invokeUrl: `${emu.proxyUrl}/orders-api/v1`, ids: { apiId: "api_orders", mode } });
    const other = await kongConnector.deploy(input({ apiId: "api_other", context: "/other" }));
    await subscribe(ref, "app_1", "Gold", { id: "key_1", value: "mk_app1_secret" });
    await subscribe(other, "app_2", "Gold", { id: "key_2", value: "mk_app2_secret" });

    const ok = await call("/orders-api/v1/orders/42?page=2", { "x-api-key": "mk_app1_secret" });
    expect(ok.status).toBe(200);
    expect(backendCalls.at(-1)?.url).toBe("/base/orders/42?page=2");
    expect(backendCalls.at(-1)?.headers["x-consumer-custom-id"]).toBe("app_1");
    expect(ok.headers.get("ratelimit-limit")).toBe("100");

    expect((await call("/orders-api/v1/orders", { "x-api-key": "mk_app2_secret" })).status).toBe(403);
    expect((await call("/orders-api/v1/orders", { "x-api-key": "wrong" })).status).toBe(401);
    expect((await call("/orders-api/v1/orders")).body).toEqual({ message: "No API key found in request" });
    expect((await call("/orders-api/v1/health")).status).toBe(200);
    expect((await call("/other/v1/orders", { "x-api-key": "mk_app2_secret" })).status).toBe(200);

    // CORS preflight, answered by Kong before any key is asked for.
    const preflight = await call(
      "/orders-api/v1/orders",
      { origin: "https://app.example.com", "access-control-request-method": "POST" },
      "OPTIONS",
    );
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  });

  it("answers 429 with Kong's headers past the tier's limit, and drops a revoked key", async () => {
    const ref = await kongConnector.deploy(input());
    const remote = await subscribe(ref, "app_b", "Bronze", { id: "key_b", value: "mk_bronze" });
    const h = { "x-api-key": "mk_bronze" };
    expect((await call("/orders-api/v1/orders", h)).status).toBe(200);
    expect((await call("/orders-api/v1/orders", h)).headers.get("x-ratelimit-remaining-minute")).toBe("0");
    const limited = await call("/orders-api/v1/orders", h);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ message: "API rate limit exceeded" });
    expect(limited.headers.get("ratelimit-limit")).toBe("2");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    await kongConnector.revokeKey!(config, ref, remote);
    expect((await call("/orders-api/v1/orders", h)).status).toBe(401);
    const state = await held();
    expect(state.acls ?? []).toEqual([]);
    expect((state.plugins ?? []).filter((p) => p.consumer)).toEqual([]);
  });

  it("a redeploy carries a tier's new limit to its subscribers", async () => {
    const ref = await kongConnector.deploy(input());
    await subscribe(ref, "app_t2", "Bronze", { id: "key_t2", value: "mk_tier" });
    const h = { "x-api-key": "mk_tier" };
    expect((await call("/orders-api/v1/orders", h)).headers.get("ratelimit-limit")).toBe("2");
    const tiers = TIERS.map((t) => (t.name === "Bronze" ? { ...t, requests: 7 } : t));
    await kongConnector.deploy({ ...input({ number: 2 }), tiers });
    expect((await call("/orders-api/v1/orders", h)).headers.get("ratelimit-limit")).toBe("7");
  });

  it("checks Meridian's tokens with the jwt plugin, and follows a key rotation", async () => {
    const ref = await kongConnector.deploy(input({ scheme: "oauth2" }));
    const remote = await subscribe(ref, "app_j", "Gold", { id: "jwt:k1", value: signing.pem, kind: "jwt", clientId: "client-j" });
    const bearer = async (key: CryptoKey, clientId = "client-j", exp = "5m") => ({
      authorization: `Bearer ${await token(key, clientId, exp)}`,
    });

    expect((await call("/orders-api/v1/orders", await bearer(signing.privateKey))).status).toBe(200);
    expect((await call("/orders-api/v1/orders", await bearer(rotated.privateKey))).body).toEqual({ message: "Invalid signature" });
    expect((await call("/orders-api/v1/orders", await bearer(signing.privateKey, "client-unknown"))).status).toBe(401);
    expect((await call("/orders-api/v1/orders", await bearer(signing.privateKey, "client-j", "-1m"))).body).toEqual({
      exp: "token expired",
    });
    expect((await call("/orders-api/v1/orders")).status).toBe(401);

    // Rotation as key sync does it: the old key's credential goes, the new key's comes.
    await kongConnector.revokeKey!(config, ref, remote);
    await subscribe(ref, "app_j", "Gold", { id: "jwt:k2", value: rotated.pem, kind: "jwt", clientId: "client-j" });
    expect((await call("/orders-api/v1/orders", await bearer(rotated.privateKey))).status).toBe(200);
    expect((await call("/orders-api/v1/orders", await bearer(signing.privateKey))).status).toBe(401);
  });

  it("redeploys an older revision: routes of the newer one go; undeploying twice succeeds and leaves others' entities", async () => {
    if (mode === "database") await admin("POST", "/services", { name: "legacy", url: `${backendUrl}/legacy` });
    else
      await fetch(`${emu.adminUrl}/config`, {
        method: "POST",
        headers: { "kong-admin-token": TOKEN, "content-type": "application/json" },
        body: JSON.stringify({ _format_version: "3.0", services: [{ name: "legacy", url: `${backendUrl}/legacy` }] }),
      });
    const v2 = {
      ...SAMPLE_DEFINITION,
      paths: {
        ...(SAMPLE_DEFINITION.paths as object),
        "/refunds": { get: { operationId: "refunds", responses: { "200": { description: "ok" } } } },
      },
    };
    await kongConnector.deploy(input({ number: 2, definition: v2, scheme: "none" }));
    expect((await call("/orders-api/v1/refunds")).status).toBe(200);
    const ref1 = await kongConnector.deploy(input({ number: 1, scheme: "none" }));
    expect(ref1.revisionNumber).toBe(1);
    expect((await call("/orders-api/v1/refunds")).status).toBe(404);
    expect((await call("/orders-api/v1/orders")).status).toBe(200);
    expect((await kongConnector.observe(config, ref1)).contentHash).toBe(ref1.contentHash);

    await kongConnector.undeploy(config, ref1);
    await kongConnector.undeploy(config, ref1);
    expect((await call("/orders-api/v1/orders")).status).toBe(404);
    const state = await held();
    expect((state.services ?? []).map((s) => s.name)).toEqual(["legacy"]);
    expect(state.routes ?? []).toEqual([]);
    expect((await kongConnector.observe(config, ref1)).exists).toBe(false);
  });

  it("discovers every service over several pages, with routes and security, and not Meridian's own", async () => {
    await kongConnector.deploy(input());
    if (mode === "database") {
      for (const n of ["billing", "catalog", "search"]) {
        await admin("POST", "/services", { name: n, url: `${backendUrl}/${n}` });
        await admin("POST", `/services/${n}/routes`, { name: `${n}-get`, methods: ["GET"], paths: [`~/${n}/(?<id>[^/]+)$`] });
        await admin("POST", `/services/${n}/routes`, { name: `${n}-list`, methods: ["GET", "POST"], paths: [`/${n}`] });
      }
      await admin("POST", "/services/billing/plugins", { name: "key-auth", config: { key_names: ["apikey"] } });
    } else {
      const current = JSON.parse(((await admin("GET", "/config")).body as { config: string }).config) as Record<string, unknown[]>;
      const services = ["billing", "catalog", "search"].map((n) => ({
        name: n,
        url: `${backendUrl}/${n}`,
        routes: [
          { name: `${n}-get`, methods: ["GET"], paths: [`~/${n}/(?<id>[^/]+)$`] },
          { name: `${n}-list`, methods: ["GET", "POST"], paths: [`/${n}`] },
        ],
        ...(n === "billing" ? { plugins: [{ name: "key-auth", config: { key_names: ["apikey"] } }] } : {}),
      }));
      const res = await admin("POST", "/config", { ...current, services: [...(current.services ?? []), ...services] });
      expect(res.status).toBe(201);
    }
    const listedBefore = emu.state.requests.filter((r) => r.path === "/services" && r.method === "GET").length;
    const found = await kongConnector.discover(config);
    expect(found.map((f) => f.name).sort()).toEqual(["billing", "catalog", "search"]);
    const billing = found.find((f) => f.name === "billing")!;
    expect(billing.upstreams).toEqual([`${backendUrl}/billing`]);
    expect(Object.keys(billing.definition!.paths as object).sort()).toEqual(["/billing", "/billing/{id}"]);
    expect(billing.definition).toMatchObject({
      components: { securitySchemes: { api_key: { type: "apiKey", in: "header", name: "apikey" } } },
      paths: { "/billing": { get: { security: [{ api_key: [] }] }, post: {} } },
    });
    // Pages of two: the listings took several calls each.
    expect(emu.state.requests.filter((r) => r.path === "/services" && r.method === "GET").length - listedBefore).toBe(2);
    expect((await kongConnector.discover(config)).map((f) => f.contentHash)).toEqual(found.map((f) => f.contentHash));
  });

  it("retries 429 and 500 from the Admin API, then succeeds", async () => {
    emu.faults.push({ status: 429, times: 1 }, { status: 500, times: 2 });
    const ref = await kongConnector.deploy(input({ scheme: "none" }));
    expect(emu.state.requests.filter((r) => r.status === 429 || r.status === 500)).toHaveLength(3);
    expect((await call("/orders-api/v1/orders")).status).toBe(200);
    expect(ref.ids.serviceName).toBe("meridian.api_orders");
  });

  it("a Kong that drops connections half-way: retried, and when it never recovers a retryable failure with nothing left", async () => {
    const path = mode === "database" ? "/routes" : "/config";
    emu.faults.push({ status: 0, times: 2, match: { pathPrefix: path, method: mode === "database" ? "PUT" : "POST" } });
    await kongConnector.deploy(input({ scheme: "none" }));
    expect((await call("/orders-api/v1/orders")).status).toBe(200);
    emu.reset();
    emu.faults.push({ status: 0, times: 50, match: { pathPrefix: path, method: mode === "database" ? "PUT" : "POST" } });
    const error = await kongConnector.deploy(input({ scheme: "none" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unavailable", retryable: true });
    emu.faults.splice(0);
    expect((await held()).services ?? []).toEqual([]);
  });

  it("says which token Kong refused, and leaves nothing behind", async () => {
    const error = await kongConnector.deploy(input({ cfg: { ...config, adminToken: "wrong" } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: "unauthorized", retryable: false });
    expect((error as Error).message).toMatch(/Check the admin token/);
    expect((await held()).services ?? []).toEqual([]);
  });

  it("a failed first deploy removes what it wrote; a failed redeploy leaves the previous revision serving", async () => {
    const failingPath = mode === "database" ? "/plugins" : "/config";
    emu.faults.push({
      status: 400,
      times: 1,
      match: { method: mode === "database" ? "PUT" : "POST", pathPrefix: failingPath },
      message: "schema violation",
    });
    await expect(kongConnector.deploy(input({ scheme: "none" }))).rejects.toMatchObject({ code: "invalid" });
    expect((await held()).services ?? []).toEqual([]);
    expect((await call("/orders-api/v1/orders")).status).toBe(404);

    await kongConnector.deploy(input({ scheme: "none" }));
    emu.faults.push({
      status: 400,
      times: 1,
      match: { method: mode === "database" ? "PUT" : "POST", pathPrefix: failingPath },
      message: "schema violation",
    });
    await expect(kongConnector.deploy(input({ scheme: "apiKey", number: 2 }))).rejects.toBeInstanceOf(ConnectorError);
    // Still revision 1: open, no key asked for.
    expect((await call("/orders-api/v1/orders")).status).toBe(200);
    const plugins = (await held()).plugins ?? [];
    expect(plugins.map((p) => p.name)).not.toContain("key-auth");
  });

  it("reports Kong's refusal of a credential (a key another consumer holds) and changes nothing", async () => {
    const ref = await kongConnector.deploy(input());
    if (mode === "database") {
      await admin("POST", "/consumers", { username: "someone" });
      await admin("POST", "/consumers/someone/key-auth", { key: "mk_taken" });
    } else {
      const current = JSON.parse(((await admin("GET", "/config")).body as { config: string }).config) as Record<string, unknown>;
      await admin("POST", "/config", { ...current, consumers: [{ username: "someone", keyauth_credentials: [{ key: "mk_taken" }] }] });
    }
    const error = await subscribe(ref, "app_t", "Gold", { id: "key_t", value: "mk_taken" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(
      mode === "dbless" ? /Kong refused the declarative configuration: keyauth_credentials .*key/ : /UNIQUE violation/,
    );
    expect((await call("/orders-api/v1/orders", { "x-api-key": "mk_taken" })).status).toBe(403);
  });

  it("refuses to touch a service of the same name that Meridian did not write", async () => {
    if (mode === "database") await admin("POST", "/services", { name: "meridian.api_orders", url: "http://elsewhere.test" });
    else
      await admin("POST", "/config", { _format_version: "3.0", services: [{ name: "meridian.api_orders", url: "http://elsewhere.test" }] });
    await expect(kongConnector.deploy(input())).rejects.toMatchObject({ code: "conflict" });
    const [service] = (await held()).services ?? [];
    expect(service).toMatchObject({ name: "meridian.api_orders", host: "elsewhere.test" });
  });
});

describe("Kong connector, Konnect and workspaces", () => {
  let emu: KongEmulator;
  beforeAll(async () => {
    emu = await startKongEmulator({ workspaces: ["payments"], controlPlanes: [CONTROL_PLANE], konnectTokens: ["kpat_konnect"] });
  });
  afterAll(() => emu?.close());

  it("writes the same entities under a Konnect control plane with a bearer token", async () => {
    const config = { mode: "konnect", adminUrl: emu.adminUrl, adminToken: "kpat_konnect", controlPlaneId: CONTROL_PLANE };
    const test = await kongConnector.testConnection(config, {
      signal: AbortSignal.timeout(5000),
      heartbeat: { lastSeenAt: null, healthyInstances: 0, totalInstances: 0 },
      now: new Date(),
    });
    expect(test).toMatchObject({ ok: true });
    const base = sampleDeploymentInput(config, {
      revision: { id: "r", number: 1, definition: SAMPLE_DEFINITION, settings: sampleSettings({ operationPolicies: {} }) },
    });
    const ref = await kongConnector.deploy({ ...base, endpoint: "http://backend.test/base" });
    expect(ref.ids.mode).toBe("konnect");
    expect(emu.state.controlPlanes.get(CONTROL_PLANE)!.entities.services.size).toBe(1);
    expect(emu.state.requests.some((r) => r.path.startsWith(`/v2/control-planes/${CONTROL_PLANE}/core-entities/services/`))).toBe(true);
    await expect(kongConnector.deploy({ ...base, config: { ...config, adminToken: "kpat_wrong" } })).rejects.toMatchObject({
      code: "unauthorized",
    });
  });

  it("names a workspace that does not exist", async () => {
    const config = { adminUrl: emu.adminUrl, workspace: "nowhere" };
    const revision = { id: "r", number: 1, definition: SAMPLE_DEFINITION, settings: sampleSettings({ operationPolicies: {} }) };
    await expect(kongConnector.deploy(sampleDeploymentInput(config, { revision }))).rejects.toMatchObject({
      code: "not_found",
      message: "Kong has no workspace named nowhere.",
    });
    const ref = await kongConnector.deploy(sampleDeploymentInput({ adminUrl: emu.adminUrl, workspace: "payments" }, { revision }));
    expect(ref.ids.serviceName).toBe("meridian.api_orders");
    expect(emu.state.workspaces.get("payments")!.entities.services.size).toBe(1);
  });
});
