import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAzureEmulator, type AzureEmulator } from "@/e2e/emulators/azure/server";
import { httpRequest } from "@/lib/connectors/http";
import { sampleDeploymentInput, sampleSettings, SAMPLE_DEFINITION } from "@/lib/connectors/sample-input";
import { ConnectorError, type DeploymentInput, type DeploymentTier } from "@/lib/connectors/types";
import { apiManagementClient, azureCredential } from "@/lib/connectors/azure/client";
import { azureConnector } from "@/lib/connectors/azure/connector";
import { azureConfigSchema } from "@/lib/connectors/azure/descriptor";
import { toConnectorError } from "@/lib/connectors/azure/errors";

// The real SDKs over HTTPS against the emulator; a local key manager and backend beside it.

let emu: AzureEmulator;
let backend: http.Server;
let backendUrl = "";
let keyManager: http.Server;
let keyManagerUrl = "";
const backendCalls: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }> = [];
let signingKey: CryptoKey;
let otherKey: CryptoKey;

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  emu = await startAzureEmulator({ pageSize: 2 });
  backend = http.createServer((req, res) => {
    backendCalls.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, url: req.url }));
  });
  backendUrl = await listen(backend);
  const pair = await generateKeyPair("ES256", { extractable: true });
  signingKey = pair.privateKey as CryptoKey;
  otherKey = (await generateKeyPair("ES256")).privateKey as CryptoKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  keyManager = http.createServer((req, res) => {
    const body =
      req.url === "/.well-known/openid-configuration"
        ? { issuer: keyManagerUrl, jwks_uri: `${keyManagerUrl}/oauth2/jwks` }
        : req.url === "/oauth2/jwks"
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? {}));
  });
  keyManagerUrl = await listen(keyManager);
});

afterAll(async () => {
  await emu?.close();
  backend?.closeAllConnections();
  keyManager?.closeAllConnections();
  await Promise.all([new Promise((r) => backend?.close(r)), new Promise((r) => keyManager?.close(r))]);
});

beforeEach(() => {
  emu.reset();
  backendCalls.length = 0;
});

const TIERS: DeploymentTier[] = [
  { name: "Gold", displayName: "Gold", requests: 100, unit: "minute", burst: 100, monthlyQuota: null, unlimited: false },
  { name: "Bronze", displayName: "Bronze", requests: 3, unit: "minute", burst: 3, monthlyQuota: null, unlimited: false },
];

function input(
  overrides: {
    context?: string;
    version?: string;
    scheme?: "oauth2" | "apiKey" | "none";
    number?: number;
    definition?: Record<string, unknown>;
    operationPolicies?: DeploymentInput["revision"]["settings"]["operationPolicies"];
  } = {},
): DeploymentInput {
  const settings = sampleSettings({
    ...(overrides.operationPolicies ? { operationPolicies: overrides.operationPolicies } : {}),
    context: overrides.context ?? "/orders-api",
    version: overrides.version ?? "v1",
    security: { scheme: overrides.scheme ?? "oauth2", apiKeyHeader: "x-api-key" },
    allowedTiers: TIERS.map((t) => t.name),
    endpoints: { production: `${backendUrl}/base`, sandbox: null, overrides: {} },
  });
  const base = sampleDeploymentInput(emu.config);
  return {
    ...base,
    api: { ...base.api, context: settings.context, version: settings.version },
    revision: {
      id: `rev_${overrides.number ?? 1}`,
      number: overrides.number ?? 1,
      definition: overrides.definition ?? SAMPLE_DEFINITION,
      settings,
    },
    endpoint: `${backendUrl}/base`,
    tiers: TIERS,
    keyManager: {
      issuer: keyManagerUrl,
      audience: "meridian-gateways",
      jwksUri: `${keyManagerUrl}/oauth2/jwks`,
      openidConfigurationUrl: `${keyManagerUrl}/.well-known/openid-configuration`,
    },
  };
}

const token = (key: CryptoKey, clientId = "app-1", audience = "meridian-gateways", scope?: string) =>
  new SignJWT({ client_id: clientId, ...(scope ? { scope } : {}) })
    .setProtectedHeader({ alg: "ES256", kid: "k1" })
    .setIssuer(keyManagerUrl)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);

const call = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  httpRequest(`${emu.dataUrl}${path}`, { method, headers, signal: AbortSignal.timeout(5000) });

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe("Azure connector against the emulator", () => {
  it("passes the connection test over HTTPS with the CA from the config", async () => {
    const result = await azureConnector.testConnection(emu.config, {
      signal: AbortSignal.timeout(10_000),
      heartbeat: { lastSeenAt: null, healthyInstances: 0, totalInstances: 0 },
      now: new Date(),
    });
    expect(result).toEqual({ ok: true, message: "Connected to API Management service meridian-apim in West Europe (Developer tier)." });
    const wrong = await azureConnector.testConnection(
      { ...emu.config, clientSecret: "nope" },
      { signal: AbortSignal.timeout(10_000), heartbeat: { lastSeenAt: null, healthyInstances: 0, totalInstances: 0 }, now: new Date() },
    );
    expect(wrong.fieldErrors?.clientSecret).toMatch(/refused the client secret/);
  });

  it("deploys an OAuth2 API that checks Meridian's tokens, limits by client and serves its open operation", async () => {
    const steps: string[] = [];
    const ref = await azureConnector.deploy({ ...input(), onStep: (s) => void steps.push(s) });
    expect(ref).toMatchObject({
      type: "azure",
      version: 1,
      ids: { apiId: "meridian-orders-api-v1", versionSetId: "meridian-orders-api" },
      invokeUrl: `${emu.dataUrl}/orders-api/v1`,
      revisionNumber: 1,
    });
    expect(ref.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(steps).toEqual(["Version set", "API", "API policy", "Operation policies"]);

    // What the SDK sent: an OpenAPI import through a long-running operation, then raw XML policies.
    const put = emu.state.requests.find((r) => r.method === "PUT" && r.path.endsWith("/apis/meridian-orders-api-v1"))!;
    expect(put.status).toBe(202);
    expect(put.query["api-version"]).toBe("2024-05-01");
    expect(put.body).toMatchObject({
      properties: {
        format: "openapi+json",
        path: "orders-api",
        serviceUrl: `${backendUrl}/base`,
        protocols: ["https"],
        apiVersion: "v1",
        subscriptionRequired: false,
      },
    });
    expect(emu.state.requests.some((r) => r.path.includes("/operationresults/") && r.status === 200)).toBe(true);
    expect(emu.state.operationPolicies.get("meridian-orders-api-v1/health")).toContain("Open operation");
    expect(emu.state.operationPolicies.get("meridian-orders-api-v1/createOrder")).toMatch(/rate-limit-by-key calls="5" renewal-period="1"/);

    const good = await token(signingKey);
    const ok = await call("/orders-api/v1/orders?page=2", { authorization: `Bearer ${good}` });
    expect(ok.status).toBe(200);
    expect(backendCalls.at(-1)?.url).toBe("/base/orders?page=2");

    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token(otherKey)}` })).status).toBe(401);
    expect(
      (await call("/orders-api/v1/orders", { authorization: `Bearer ${await token(signingKey, "app-1", "someone-else")}` })).status,
    ).toBe(401);
    expect((await call("/orders-api/v1/orders")).status).toBe(401);
    expect((await call("/orders-api/v1/health")).status).toBe(200);

    // Bronze, the strictest tier, allows 3 calls a minute per client; one is spent above.
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${good}` })).status).toBe(200);
    expect((await call("/orders-api/v1/orders/42", { authorization: `Bearer ${good}` })).status).toBe(200);
    const limited = await call("/orders-api/v1/orders", { authorization: `Bearer ${good}` });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // Another client has its own counter.
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token(signingKey, "app-2")}` })).status).toBe(200);

    const preflight = await call(
      "/orders-api/v1/orders",
      { origin: "https://app.example.com", "access-control-request-method": "POST" },
      "OPTIONS",
    );
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://app.example.com");
  });

  it("refuses a valid token without an operation's scopes with 403, through validate-jwt required claims", async () => {
    await azureConnector.deploy(
      input({
        context: "/scoped-api",
        operationPolicies: { "GET /orders/{orderId}": { security: null, rateLimit: null, scopes: ["orders:read"] } },
      }),
    );
    expect(emu.state.operationPolicies.get("meridian-scoped-api-v1/getOrder")).toMatch(/<claim name="scope" match="all" separator=" ">/);
    const bearer = async (clientId: string, scope?: string) => ({
      authorization: `Bearer ${await token(signingKey, clientId, "meridian-gateways", scope)}`,
    });
    expect((await call("/scoped-api/v1/orders/7", await bearer("scope-1"))).status).toBe(403);
    expect((await call("/scoped-api/v1/orders/7", await bearer("scope-2", "orders:write"))).status).toBe(403);
    expect((await call("/scoped-api/v1/orders/7", await bearer("scope-3", "profile orders:read"))).status).toBe(200);
    // An invalid token is still refused by the API's own check first.
    expect(
      (
        await call("/scoped-api/v1/orders/7", {
          authorization: `Bearer ${await token(otherKey, "scope-4", "meridian-gateways", "orders:read")}`,
        })
      ).status,
    ).toBe(401);
    // Operations without scopes take any valid token.
    expect((await call("/scoped-api/v1/orders", await bearer("scope-5"))).status).toBe(200);
  });

  it("installs Meridian keys as subscriptions of the tier's product, and removes them", async () => {
    const ref = await azureConnector.deploy(input({ scheme: "apiKey" }));
    expect(ref.ids).toMatchObject({ "product:Gold": "meridian-orders-api-v1-gold", "product:Bronze": "meridian-orders-api-v1-bronze" });
    const key = { id: "key_1", value: "mk_live_0123456789abcdef", keyType: "production" as const };
    const keyInput = {
      config: emu.config,
      ref,
      subscription: { id: "sub_1", applicationId: "app_1", applicationName: "Shop", tier: "Bronze" },
      key,
      idempotencyKey: "k1",
    };
    const remote = await azureConnector.provisionKey!(keyInput);
    expect(remote).toEqual({ subscriptionId: expect.stringMatching(/^meridian-sub-1-[0-9a-f]{6}-key-1-[0-9a-f]{6}$/) });
    expect(await azureConnector.provisionKey!(keyInput)).toEqual(remote);
    expect(emu.state.subscriptions.get(remote.subscriptionId)).toMatchObject({
      scope: "/products/meridian-orders-api-v1-bronze",
      state: "active",
      primaryKey: key.value,
    });

    expect((await call("/orders-api/v1/orders", { "x-api-key": key.value })).status).toBe(200);
    expect(backendCalls.at(-1)?.headers["x-api-key"]).toBeUndefined();
    const missing = await call("/orders-api/v1/orders");
    expect(missing.status).toBe(401);
    expect(missing.body).toMatch(/missing subscription key/);
    expect((await call("/orders-api/v1/orders", { "x-api-key": "mk_live_wrong" })).status).toBe(401);
    // /health is open: Azure makes keys optional for the API and a policy asks for them elsewhere.
    expect((await call("/orders-api/v1/health")).status).toBe(200);
    // Bronze: 3 a minute per subscription.
    expect((await call("/orders-api/v1/orders", { "x-api-key": key.value })).status).toBe(200);
    expect((await call("/orders-api/v1/orders", { "x-api-key": key.value })).status).toBe(200);
    expect((await call("/orders-api/v1/orders", { "x-api-key": key.value })).status).toBe(429);

    await azureConnector.revokeKey!(emu.config, ref, remote);
    await azureConnector.revokeKey!(emu.config, ref, remote);
    expect((await call("/orders-api/v1/health", { "x-api-key": key.value })).status).toBe(401);
  });

  it("redeploys in place, observes drift by hash, and undeploys twice without error", async () => {
    const first = await azureConnector.deploy(input({ scheme: "apiKey" }));
    const definition = {
      ...SAMPLE_DEFINITION,
      paths: {
        ...(SAMPLE_DEFINITION.paths as object),
        "/refunds": { get: { operationId: "listRefunds", responses: { "200": { description: "ok" } } } },
      },
    };
    const second = await azureConnector.deploy(input({ scheme: "apiKey", number: 2, definition }), first);
    expect(second.ids).toEqual(first.ids);
    expect(second.contentHash).not.toBe(first.contentHash);
    expect(await azureConnector.observe(emu.config, second)).toMatchObject({ exists: true, contentHash: second.contentHash });
    expect(emu.state.apis.get("meridian-orders-api-v1")?.operations.map((o) => o.id)).toContain("listRefunds");

    // Another version of the same API shares the version set, which outlives the first.
    const v2 = await azureConnector.deploy(input({ scheme: "apiKey", version: "v2" }));
    expect(v2.ids.versionSetId).toBe(second.ids.versionSetId);
    await azureConnector.undeploy(emu.config, second);
    await azureConnector.undeploy(emu.config, second);
    expect(await azureConnector.observe(emu.config, second)).toEqual({ exists: false });
    expect([...emu.state.versionSets.keys()]).toEqual(["meridian-orders-api"]);
    await azureConnector.undeploy(emu.config, v2);
    expect(emu.state.apis.size + emu.state.products.size + emu.state.versionSets.size).toBe(0);
  });

  it("discovers every current API across several pages", async () => {
    for (const context of ["/a", "/b", "/c"]) await azureConnector.deploy(input({ context, scheme: "none" }));
    const current = emu.state.apis.get("meridian-a-v1")!;
    emu.state.apis.set("meridian-a-v1;rev=2", { ...current, id: "meridian-a-v1;rev=2", apiRevision: "2", isCurrent: false });
    const found = await azureConnector.discover(emu.config);
    expect(found.map((f) => f.externalId).sort()).toEqual(["meridian-a-v1", "meridian-b-v1", "meridian-c-v1"]);
    expect(found.find((f) => f.externalId === "meridian-b-v1")).toMatchObject({
      name: "Orders",
      version: "v1",
      context: "/b",
      upstreams: [`${backendUrl}/base`],
      contentHash: expect.stringMatching(/^sha256:/),
    });
    expect((found[0].definition as { paths: object }).paths).toHaveProperty("/orders/{orderId}");
    const listings = emu.state.requests.filter((r) => r.method === "GET" && r.path.endsWith("/apis"));
    expect(listings.length).toBeGreaterThanOrEqual(2);
    expect(listings.some((r) => r.query.$skip === "2")).toBe(true);
  });

  it("reports throttling as retryable, then succeeds", async () => {
    emu.faults.add({ match: { method: "PUT", pathContains: "/apiVersionSets/" }, status: 429, times: 1 });
    const error = await rejection(azureConnector.deploy(input()));
    expect(error).toMatchObject({ code: "throttled", retryable: true, status: 429 });
    const ref = await azureConnector.deploy(input());
    expect(ref.ids.apiId).toBe("meridian-orders-api-v1");
  });

  it("removes what a failed first deploy created", async () => {
    const response = await httpRequest(`${emu.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ match: { method: "PUT", pathContains: "/products/" }, status: 500, times: 1 }),
      headers: { "content-type": "application/json" },
      ca: emu.caCertificate,
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status).toBe(201);
    const error = await rejection(azureConnector.deploy(input({ scheme: "apiKey" })));
    expect(error).toMatchObject({ code: "unavailable", retryable: true, status: 500 });
    expect(emu.state.apis.size + emu.state.versionSets.size + emu.state.products.size + emu.state.apiPolicies.size).toBe(0);
  });

  it("keeps a redeployed API serving when a step fails", async () => {
    const first = await azureConnector.deploy(input({ scheme: "none" }));
    emu.faults.add({ match: { method: "PUT", pathContains: "/policies/policy" }, status: 503, times: 1 });
    await rejection(azureConnector.deploy(input({ scheme: "none", number: 2 }), first));
    expect(emu.state.apis.has("meridian-orders-api-v1")).toBe(true);
    expect((await call("/orders-api/v1/orders")).status).toBe(200);
  });

  it("refuses a malformed policy with Azure's ValidationError", async () => {
    const config = azureConfigSchema.parse(emu.config);
    const client = await apiManagementClient(config, await azureCredential(config));
    await azureConnector.deploy(input({ scheme: "none" }));
    for (const [xml, message] of [
      ["<policies><inbound><base/></inbound>", /not closed: policies/],
      ["<policy><inbound /></policy>", /root element must be 'policies'/],
      ['<policies><inbound><rate-limit-by-key calls="5" /></inbound></policies>', /'renewal-period' attribute is required/],
    ] as const) {
      const error = await client.apiPolicy
        .createOrUpdate(config.resourceGroup, config.serviceName, "meridian-orders-api-v1", "policy", { format: "rawxml", value: xml })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toMatchObject({ statusCode: 400, code: "ValidationError" });
      const mapped = toConnectorError(error, "writing a policy");
      expect(mapped).toMatchObject({ code: "invalid", retryable: false });
      expect(mapped.message).toMatch(message);
    }
  });

  it("answers Resource Manager's 401 without a valid token", async () => {
    const path = `${emu.url}/subscriptions/${emu.config.subscriptionId}/resourceGroups/meridian-rg/providers/Microsoft.ApiManagement/service/meridian-apim/apis?api-version=2024-05-01`;
    for (const headers of [{}, { authorization: "Bearer forged" }] as Array<Record<string, string>>) {
      const res = await httpRequest(path, { headers, ca: emu.caCertificate, signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: "AuthenticationFailed" } });
    }
    const error = await rejection(azureConnector.deploy({ ...input(), config: { ...emu.config, clientSecret: "wrong" } }));
    expect(error.code).toBe("unauthorized");
  });

  it("refuses a name Azure cannot take before any remote call", async () => {
    const before = emu.state.requests.length;
    const error = await rejection(azureConnector.deploy(input({ context: "/orders api" })));
    expect(error.code).toBe("invalid");
    expect(emu.state.requests.length).toBe(before);
  });
});
