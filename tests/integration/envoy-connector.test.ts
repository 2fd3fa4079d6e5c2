import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startK8sEmulator, K8S_DEFAULTS, type K8sEmulator } from "@/e2e/emulators/k8s/server";
import { httpRequest } from "@/lib/connectors/http";
import { sampleDeploymentInput, sampleSettings } from "@/lib/connectors/sample-input";
import { ConnectorError, type DeploymentInput, type DeploymentRef, type DeploymentTier } from "@/lib/connectors/types";
import { envoyConnector } from "@/lib/connectors/envoy/connector";
import { testContext } from "@/lib/connectors/test-server";

// @kubernetes/client-node over HTTPS against the emulator; a local key manager and backend beside it.

let emu: K8sEmulator;
let backend: http.Server;
let backendUrl = "";
let keyManager: http.Server;
let keyManagerUrl = "";
const backendCalls: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }> = [];
let signingKey: CryptoKey;

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  process.env.MERIDIAN_ENVOY_STATUS_TIMEOUT_MS = "3000";
  emu = await startK8sEmulator({ pageSize: 2, controllerDelayMs: 20 });
  backend = http.createServer((req, res) => {
    backendCalls.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, url: req.url }));
  });
  backendUrl = await listen(backend);
  const pair = await generateKeyPair("ES256", { extractable: true });
  signingKey = pair.privateKey as CryptoKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  keyManager = http.createServer((req, res) => {
    res.writeHead(req.url === "/oauth2/jwks" ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(req.url === "/oauth2/jwks" ? { keys: [jwk] } : {}));
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
  { name: "Bronze", displayName: "Bronze", requests: 2, unit: "minute", burst: 2, monthlyQuota: null, unlimited: false },
];

function input(
  overrides: {
    scheme?: "oauth2" | "apiKey" | "none";
    number?: number;
    definition?: Record<string, unknown>;
    config?: Record<string, unknown>;
  } = {},
): DeploymentInput {
  const settings = sampleSettings({
    endpoints: { production: `${backendUrl}/base`, sandbox: null, overrides: {} },
    security: { scheme: overrides.scheme ?? "apiKey", apiKeyHeader: "x-api-key" },
    allowedTiers: ["Gold", "Bronze"],
    operationPolicies: { "GET /health": { security: "none", rateLimit: null } },
  });
  const base = sampleDeploymentInput(overrides.config ?? emu.config, {
    revision: {
      id: `rev_${overrides.number ?? 1}`,
      number: overrides.number ?? 1,
      definition: overrides.definition ?? sampleDeploymentInput({}).revision.definition,
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
    environment: { name: "envoy", region: "", publicUrls: [emu.dataUrl] },
  });
  return base;
}

const call = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  httpRequest(`${emu.dataUrl}${path}`, { method, headers, signal: AbortSignal.timeout(5000) });

const token = (clientId: string, audience = "meridian-gateways") =>
  new SignJWT({ client_id: clientId })
    .setProtectedHeader({ alg: "ES256", kid: "k1" })
    .setIssuer(keyManagerUrl)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(signingKey);

const objects = () => [...emu.state.objects.values()];
const names = (kind: string) =>
  objects()
    .filter((o) => o.kind === kind)
    .map((o) => o.metadata.name)
    .sort();
const subscription = (ref: DeploymentRef, sub: string, tier: string, value: string) =>
  envoyConnector.provisionKey!({
    config: emu.config,
    ref,
    subscription: { id: sub, applicationId: `app_${sub}`, applicationName: sub, tier },
    key: { id: `key_${sub}`, value, keyType: "production" },
    idempotencyKey: sub,
  });

describe("Envoy Gateway connector against the Kubernetes emulator", () => {
  it("passes the connection test over HTTPS with the CA from the config", async () => {
    expect(await envoyConnector.testConnection(emu.config, testContext())).toEqual({
      ok: true,
      message: "Found Gateway apis/eg, programmed.",
    });
  });

  it("deploys an API-key API with server-side apply, waits for Accepted, and serves keys of subscribed applications only", async () => {
    const steps: string[] = [];
    const ref = await envoyConnector.deploy({ ...input(), onStep: (s) => void steps.push(s) });
    expect(steps).toEqual(["Resources applied", "Accepted by Envoy Gateway"]);
    expect(ref).toMatchObject({
      type: "envoy",
      invokeUrl: `${emu.dataUrl}/orders-api/v1`,
      ids: { keySecret: "meridian-api-orders-keys", routes: "meridian-api-orders,meridian-api-orders-open" },
    });
    const applies = emu.state.requests.filter((r) => r.method === "PATCH");
    expect(applies.length).toBe(8);
    for (const a of applies) {
      expect(a.contentType).toBe("application/apply-patch+yaml");
      expect(a.query).toMatchObject({ fieldManager: "meridian", force: "true" });
    }
    const route = objects().find((o) => o.metadata.name === "meridian-api-orders")!;
    expect(
      (route.status as { parents: Array<{ conditions: Array<{ type: string; status: string }> }> }).parents[0].conditions.map(
        (c) => `${c.type}=${c.status}`,
      ),
    ).toEqual(["Accepted=True", "ResolvedRefs=True"]);

    // No key installed yet: nobody passes; the open operation serves.
    expect((await call("/orders-api/v1/orders", { "x-api-key": "k-gold" })).status).toBe(401);
    expect((await call("/orders-api/v1/health")).status).toBe(200);
    expect(backendCalls.at(-1)!.url).toBe("/base/health");

    const ids = await subscription(ref, "sub_gold", "Gold", "k-gold");
    expect(ids).toEqual({ secret: "meridian-api-orders-keys", entry: "gold.sub_gold.key_sub_gold" });
    await subscription(ref, "sub_bronze", "Bronze", "k-bronze");
    const ok = await call("/orders-api/v1/orders/42", { "x-api-key": "k-gold" });
    expect(ok.status).toBe(200);
    expect(backendCalls.at(-1)!.url).toBe("/base/orders/42");
    expect(backendCalls.at(-1)!.headers["x-meridian-client-id"]).toBe("gold.sub_gold.key_sub_gold");
    expect(backendCalls.at(-1)!.headers["x-api-key"]).toBeUndefined();
    expect((await call("/orders-api/v1/orders", { "x-api-key": "not-subscribed" })).status).toBe(401);

    // Bronze allows 2 a minute, per key; Gold is not affected.
    expect((await call("/orders-api/v1/orders", { "x-api-key": "k-bronze" })).status).toBe(200);
    expect((await call("/orders-api/v1/orders", { "x-api-key": "k-bronze" })).status).toBe(200);
    const limited = await call("/orders-api/v1/orders", { "x-api-key": "k-bronze" });
    expect(limited.status).toBe(429);
    expect(limited.headers["x-envoy-ratelimited"]).toBe("true");
    expect((await call("/orders-api/v1/orders", { "x-api-key": "k-gold" })).status).toBe(200);

    // Revoked: the entry leaves the Secret and the key stops working; revoking again is fine.
    await envoyConnector.revokeKey!(emu.config, ref, ids);
    await envoyConnector.revokeKey!(emu.config, ref, ids);
    expect((await call("/orders-api/v1/orders", { "x-api-key": "k-gold" })).status).toBe(401);

    // CORS preflight answered by the policy.
    const preflight = await call(
      "/orders-api/v1/orders",
      { origin: "https://app.example.com", "access-control-request-method": "GET" },
      "OPTIONS",
    );
    expect(preflight.status).toBe(200);
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(preflight.headers["access-control-allow-methods"]).toBe("GET,POST");
  });

  it("deploys an OAuth2 API that checks Meridian's tokens through the remote JWKS and lets subscribed clients only", async () => {
    const ref = await envoyConnector.deploy(input({ scheme: "oauth2" }));
    expect((await call("/orders-api/v1/orders")).status).toBe(401);
    // Until the subscribed clients are written, a valid token is denied.
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token("client-a")}` })).status).toBe(403);
    await envoyConnector.syncClients!(emu.config, ref, ["client-a", "client-b"]);
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token("not-subscribed")}` })).status).toBe(403);
    // A redeploy (server-side apply of the policy) keeps the clients; a later sync replaces them.
    await envoyConnector.deploy(input({ scheme: "oauth2", number: 2 }), ref);
    const policy = objects().find((o) => o.metadata.name === "meridian-api-orders-security")!;
    expect((policy.spec as { authorization: { defaultAction: string; rules: unknown[] } }).authorization).toEqual({
      defaultAction: "Deny",
      rules: [
        {
          name: "meridian-subscribed",
          action: "Allow",
          principal: { jwt: { provider: "meridian", claims: [{ name: "client_id", values: ["client-a", "client-b"] }] } },
        },
      ],
    });
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token("client-a", "other-audience")}` })).status).toBe(
      401,
    );
    const ok = await call("/orders-api/v1/orders", { authorization: `Bearer ${await token("client-a")}` });
    expect(ok.status).toBe(200);
    expect(backendCalls.at(-1)!.headers["x-meridian-client-id"]).toBe("client-a");
    // Every client is held to the tightest tier (Bronze, 2 a minute), each in its own bucket.
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token("client-a")}` })).status).toBe(200);
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token("client-a")}` })).status).toBe(429);
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token("client-b")}` })).status).toBe(200);
    await envoyConnector.syncClients!(emu.config, ref, ["client-b"]);
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token("client-a")}` })).status).toBe(403);
    await envoyConnector.syncClients!(emu.config, ref, []);
    expect((await call("/orders-api/v1/orders", { authorization: `Bearer ${await token("client-b")}` })).status).toBe(403);
  });

  it("redeploys an older revision in place, removing what it no longer has, and undeploys twice", async () => {
    const first = await envoyConnector.deploy(input());
    expect(names("HTTPRoute")).toEqual(["meridian-api-orders", "meridian-api-orders-open"]);
    const older = {
      openapi: "3.0.3",
      info: { title: "Orders", version: "v1" },
      paths: { "/orders": { get: { responses: { "200": { description: "ok" } } } } },
    };
    const ref = await envoyConnector.deploy(input({ number: 1, definition: older }), first);
    expect(names("HTTPRoute")).toEqual(["meridian-api-orders"]);
    expect(names("BackendTrafficPolicy")).toEqual(["meridian-api-orders-limits"]);
    expect(ref.contentHash).not.toBe(first.contentHash);
    expect((await envoyConnector.observe(emu.config, ref)).contentHash).toBe(ref.contentHash);

    await envoyConnector.undeploy(emu.config, ref);
    await envoyConnector.undeploy(emu.config, ref);
    expect(objects().filter((o) => o.metadata.labels?.["app.kubernetes.io/managed-by"] === "meridian")).toEqual([]);
    expect(names("Gateway")).toEqual(["eg"]);
    expect((await envoyConnector.observe(emu.config, ref)).exists).toBe(false);
  });

  it("never overwrites a resource of the same name without Meridian's labels, and leaves nothing half-made", async () => {
    emu.state.objects.set("httproutes/apis/meridian-api-orders-open", {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "meridian-api-orders-open", namespace: "apis", resourceVersion: "1", labels: { team: "payments" } },
      spec: { parentRefs: [{ name: "eg" }], rules: [] },
    });
    await expect(envoyConnector.deploy(input())).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/without Meridian's labels/),
    });
    expect(names("HTTPRoute")).toEqual(["meridian-api-orders-open"]);
    expect(names("Secret")).toEqual([]);
  });

  it("discovers every HTTPRoute across several pages, Meridian's grouped by their labels", async () => {
    await envoyConnector.deploy(input());
    for (const n of ["billing", "catalog", "search"]) {
      emu.state.objects.set(`httproutes/apis/${n}`, {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: n, namespace: "apis", resourceVersion: "1" },
        spec: {
          parentRefs: [{ name: "eg" }],
          rules: [
            {
              matches: [
                { path: { type: "RegularExpression", value: `/${n}/items/[^/]+` }, method: "GET" },
                { path: { type: "Exact", value: `/${n}/items` }, method: "POST" },
              ],
              backendRefs: [{ name: n, port: 8080 }],
            },
          ],
        },
      });
    }
    const found = await envoyConnector.discover(emu.config);
    expect(found.map((f) => f.externalId).sort()).toEqual([
      "httproute/billing",
      "httproute/catalog",
      "httproute/search",
      "meridian/api_orders",
    ]);
    const billing = found.find((f) => f.externalId === "httproute/billing")!;
    expect(billing).toMatchObject({ context: "/billing", upstreams: ["http://billing.apis.svc:8080"] });
    expect(Object.keys(billing.definition!.paths as object).sort()).toEqual(["/items", "/items/{param1}"]);
    const orders = found.find((f) => f.externalId === "meridian/api_orders")!;
    expect((orders.definition!["x-envoy-gateway"] as { routes: string[] }).routes).toEqual([
      "meridian-api-orders",
      "meridian-api-orders-open",
    ]);
    // Several pages of two: the continue token was followed.
    expect(emu.state.requests.filter((r) => r.path.endsWith("/httproutes") && r.query.continue).length).toBeGreaterThanOrEqual(2);
    const again = await envoyConnector.discover(emu.config);
    expect(again.map((f) => f.contentHash).sort()).toEqual(found.map((f) => f.contentHash).sort());
  });

  it("retries a 409 conflict, and surfaces a 422 Invalid with its field causes", async () => {
    emu.faults.add({ match: { method: "PATCH", pathContains: "/httproutes/" }, status: 409, times: 2 });
    await expect(envoyConnector.deploy(input())).resolves.toMatchObject({ type: "envoy" });

    emu.reset();
    const bad = { ...input(), tiers: [{ ...TIERS[0], requests: 1.5 }] } as DeploymentInput;
    const error = (await envoyConnector.deploy(bad).catch((e: unknown) => e)) as ConnectorError;
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(
      /422 Invalid while applying BackendTrafficPolicy meridian-api-orders-limits: spec\.rateLimit\.global\.rules\[0\]\.limit\.requests/,
    );
    // The first deploy's resources are gone again.
    expect(objects().filter((o) => o.metadata.labels?.["meridian.dev/api"])).toEqual([]);
  });

  it("shows the controller's refusal on the deployment, and times out when no controller answers", async () => {
    await fetch(`${emu.url}/_emulator/controller`, {
      method: "POST",
      body: JSON.stringify({ refuseRoutes: "-open$" }),
      dispatcher: undefined,
    } as RequestInit).catch(() => undefined);
    emu.controller.refuseRoutes = /-open$/;
    await expect(envoyConnector.deploy(input())).rejects.toMatchObject({
      code: "invalid",
      message: expect.stringMatching(/refused HTTPRoute meridian-api-orders-open \(Accepted UnsupportedValue\)/),
    });
    emu.reset();
    emu.controller.enabled = false;
    await expect(envoyConnector.deploy(input())).rejects.toMatchObject({
      code: "timeout",
      retryable: true,
      message: expect.stringMatching(/did not accept HTTPRoute\/meridian-api-orders/),
    });
    expect(objects().filter((o) => o.metadata.labels?.["meridian.dev/api"])).toEqual([]);
  });

  it("fails as a retryable timeout when the cluster stops answering half-way, removing what it had created", async () => {
    process.env.MERIDIAN_K8S_REQUEST_TIMEOUT_MS = "400";
    try {
      emu.faults.add({ match: { method: "GET", pathContains: "/httproutefilters/" }, delayMs: 1500, times: 1 });
      await expect(envoyConnector.deploy(input())).rejects.toMatchObject({
        code: "timeout",
        retryable: true,
        message: expect.stringMatching(
          /did not answer while applying HTTPRouteFilter meridian-api-orders-rewrite: no answer came within the time limit/,
        ),
      });
      expect(objects().filter((o) => o.metadata.labels?.["meridian.dev/api"])).toEqual([]);
    } finally {
      delete process.env.MERIDIAN_K8S_REQUEST_TIMEOUT_MS;
    }
  });

  it("says clearly when the token, the namespace or the Gateway is wrong", async () => {
    await expect(envoyConnector.deploy(input({ config: { ...emu.config, bearerToken: "wrong-token" } }))).rejects.toMatchObject({
      code: "unauthorized",
      message: expect.stringMatching(/refused the bearer token/),
    });
    await expect(
      envoyConnector.deploy(input({ config: { ...emu.config, bearerToken: K8S_DEFAULTS.readOnlyToken } })),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(envoyConnector.deploy(input({ config: { ...emu.config, gatewayName: "missing" } }))).rejects.toMatchObject({
      code: "not_found",
      message: "No Gateway named missing in namespace apis.",
    });
    await expect(envoyConnector.deploy(input({ config: { ...emu.config, namespace: "nowhere" } }))).rejects.toMatchObject({
      code: "not_found",
    });
    expect(objects().filter((o) => o.metadata.labels?.["meridian.dev/api"])).toEqual([]);
  });

  it("plans the multi-document YAML and refuses what Envoy Gateway cannot enforce", async () => {
    const plan = await envoyConnector.plan(input());
    expect(plan.artifacts[0].content).toMatch(/^apiVersion: v1\nkind: Secret\n/);
    const refused = { ...input(), endpoint: "http://orders.other.svc.cluster.local" };
    await expect(envoyConnector.deploy(refused)).rejects.toMatchObject({
      code: "unsupported",
      message: expect.stringMatching(/ReferenceGrant/),
    });
    expect(emu.state.requests).toEqual([]);
  });
});
