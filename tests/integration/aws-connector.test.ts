import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AwsEmulator } from "@/e2e/emulators/aws/server";
import { createAwsConnector } from "@/lib/connectors/aws/connector";
import { SAMPLE_DEFINITION, sampleDeploymentInput, sampleSettings } from "@/lib/connectors/sample-input";
import { ConnectorError, type DeploymentInput, type DeploymentRef } from "@/lib/connectors/types";
import { invoke, startEchoBackend, startEmulator, type EchoBackend } from "@/e2e/emulators/aws/testing";

let emulator: AwsEmulator;
let config: Record<string, unknown>;
let backend: EchoBackend;
// Two items a page: every listing in these tests spans several pages.
const aws = createAwsConnector({ pageSize: 2 });

beforeAll(async () => {
  ({ emulator, config } = await startEmulator());
  backend = await startEchoBackend();
});
afterAll(async () => {
  await emulator.close();
  await backend.close();
});
afterEach(() => emulator.reset());

const KEY = "mk_live_0123456789abcdefghijklmnop";

function input(
  overrides: Partial<DeploymentInput> = {},
  settings = sampleSettings({ endpoints: { production: `${backend.url}/base`, sandbox: null, overrides: {} } }),
): DeploymentInput {
  const base = sampleDeploymentInput(config, { revision: { id: "rev_orders_1", number: 1, definition: SAMPLE_DEFINITION, settings } });
  return { ...base, endpoint: `${backend.url}/base`, ...overrides };
}

const V2_DEFINITION = {
  ...SAMPLE_DEFINITION,
  paths: {
    ...(SAMPLE_DEFINITION.paths as object),
    "/customers": { get: { operationId: "listCustomers", responses: { "200": { description: "Customers" } } } },
  },
};

function keyFor(ref: DeploymentRef, value = KEY, tier = "Gold") {
  return aws.provisionKey!({
    config,
    ref,
    subscription: { id: "sub_1", applicationId: "app_1", applicationName: "Checkout", tier },
    key: { id: "key_1", value, keyType: "production" },
    idempotencyKey: "keys:1",
  });
}

describe("AWS connector against the API Gateway emulator", () => {
  it("deploys an API that serves through the data plane with a provisioned key", async () => {
    const steps: string[] = [];
    const ref = await aws.deploy(input({ onStep: (step) => void steps.push(step) }));

    expect(ref).toMatchObject({
      type: "aws",
      version: 1,
      stage: "meridian",
      revisionNumber: 1,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Object.keys(ref.ids).sort()).toEqual(["deploymentId", "restApiId", "usagePlan:Bronze", "usagePlan:Gold", "usagePlan:Unlimited"]);
    expect(ref.invokeUrl).toBe(`${emulator.dataUrl}/restapis/${ref.ids.restApiId}/meridian/_user_request_`);
    expect(steps).toEqual([
      "Imported the REST API",
      "Created a deployment",
      "Configured the stage",
      "Created a usage plan",
      "Created a usage plan",
      "Created a usage plan",
    ]);

    const ids = await keyFor(ref);
    expect(ids).toEqual({ apiKeyId: expect.any(String), usagePlanId: ref.ids["usagePlan:Gold"] });
    // Provisioning again changes nothing.
    expect(await keyFor(ref)).toEqual(ids);
    expect(emulator.state.apiKeys.size).toBe(1);

    const ok = await invoke(ref.invokeUrl!, "/orders/42?expand=lines", { apiKey: KEY });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ method: "GET", url: "/base/orders/42?expand=lines" });
    expect((await invoke(ref.invokeUrl!, "/orders/42")).status).toBe(403);
    expect((await invoke(ref.invokeUrl!, "/orders", { apiKey: "mk_live_not-a-key-at-all-0000000" })).status).toBe(403);
    // Open operation and CORS preflight need no key.
    expect((await invoke(ref.invokeUrl!, "/health")).status).toBe(200);
    const preflight = await invoke(ref.invokeUrl!, "/orders/42", { method: "OPTIONS" });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET,POST,OPTIONS");

    const observed = await aws.observe(config, ref);
    expect(observed).toMatchObject({ exists: true, contentHash: ref.contentHash, details: { deploymentId: ref.ids.deploymentId } });

    await aws.revokeKey!(config, ref, ids);
    expect((await invoke(ref.invokeUrl!, "/orders", { apiKey: KEY })).status).toBe(403);
    expect(emulator.state.apiKeys.size).toBe(0);
    await aws.revokeKey!(config, ref, ids);
  });

  it("enforces the operation throttle and the tier's usage plan on the stage", async () => {
    const tiers = [
      { name: "Tiny", displayName: "Tiny", requests: 1, unit: "minute" as const, burst: 2, monthlyQuota: null, unlimited: false },
    ];
    const settings = sampleSettings({
      allowedTiers: ["Tiny"],
      endpoints: { production: `${backend.url}/base`, sandbox: null, overrides: {} },
    });
    const ref = await aws.deploy(input({ tiers }, settings));
    expect(emulator.state.usagePlans.get(ref.ids["usagePlan:Tiny"])?.throttle).toEqual({ rateLimit: 0.016667, burstLimit: 2 });
    await keyFor(ref, KEY, "Tiny");
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await invoke(ref.invokeUrl!, "/orders", { apiKey: KEY })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(emulator.state.restApis.get(ref.ids.restApiId)?.stages.get("meridian")?.methodSettings).toEqual({
      "orders/POST": { throttlingRateLimit: 5, throttlingBurstLimit: 5 },
    });
  });

  it("redeploys an older revision in place and what serves follows", async () => {
    const v2 = await aws.deploy(
      input({ revision: { id: "rev_2", number: 2, definition: V2_DEFINITION, settings: input().revision.settings } }),
    );
    await keyFor(v2);
    expect((await invoke(v2.invokeUrl!, "/customers", { apiKey: KEY })).status).toBe(200);

    const v1 = await aws.deploy(input({ idempotencyKey: "dep_sample:2" }), v2);
    expect(v1.ids.restApiId).toBe(v2.ids.restApiId);
    expect(v1.ids.deploymentId).not.toBe(v2.ids.deploymentId);
    expect(v1.ids["usagePlan:Gold"]).toBe(v2.ids["usagePlan:Gold"]);
    expect(v1.contentHash).not.toBe(v2.contentHash);
    expect((await invoke(v1.invokeUrl!, "/customers", { apiKey: KEY })).body).toEqual({ message: "Missing Authentication Token" });
    expect((await invoke(v1.invokeUrl!, "/orders", { apiKey: KEY })).status).toBe(200);
    expect(emulator.state.restApis.size).toBe(1);
    expect(emulator.state.usagePlans.size).toBe(3);
    expect(emulator.state.restApis.get(v1.ids.restApiId)?.stages.get("meridian")?.description).toBe("Meridian revision 1");
  });

  it("keeps the previous revision serving when a redeploy fails", async () => {
    const v1 = await aws.deploy(input());
    await keyFor(v1);
    emulator.faults.push({ match: { method: "POST", pathPrefix: `/restapis/${v1.ids.restApiId}/deployments` }, status: 500 });
    const failed = await aws
      .deploy(
        input({
          revision: { id: "rev_2", number: 2, definition: V2_DEFINITION, settings: input().revision.settings },
          idempotencyKey: "dep_sample:2",
        }),
        v1,
      )
      .catch((e) => e);
    expect(failed).toBeInstanceOf(ConnectorError);
    expect(failed).toMatchObject({ code: "unavailable", retryable: true });
    expect(emulator.state.restApis.has(v1.ids.restApiId)).toBe(true);
    expect((await invoke(v1.invokeUrl!, "/customers", { apiKey: KEY })).status).toBe(403);
    expect((await invoke(v1.invokeUrl!, "/orders", { apiKey: KEY })).status).toBe(200);
  });

  it("undeploys the stage, then the REST API, and a second undeploy succeeds", async () => {
    const ref = await aws.deploy(input());
    await keyFor(ref);
    await aws.undeploy(config, ref, {});
    const api = emulator.state.restApis.get(ref.ids.restApiId)!;
    expect(api.stages.size).toBe(0);
    expect(api.deployments.size).toBe(0);
    expect(emulator.state.usagePlans.size).toBe(0);
    // Keys belong to subscriptions: they stay until revoked.
    expect(emulator.state.apiKeys.size).toBe(1);
    expect((await invoke(ref.invokeUrl!, "/orders", { apiKey: KEY })).status).toBe(403);
    expect(await aws.observe(config, ref)).toMatchObject({ exists: false });

    await aws.undeploy(config, ref, { deleteApi: true });
    expect(emulator.state.restApis.size).toBe(0);
    await expect(aws.undeploy(config, ref, { deleteApi: true })).resolves.toBeUndefined();
  });

  it("discovers every REST API over several pages", async () => {
    const refs: DeploymentRef[] = [];
    for (let i = 1; i <= 3; i++)
      refs.push(await aws.deploy(input({ api: { ...input().api, id: `api_${i}`, name: `Orders ${i}` }, idempotencyKey: `dep_${i}:1` })));
    emulator.state.requests.length = 0;
    const found = await aws.discover(config);
    expect(found.map((a) => a.name).sort()).toEqual(["Orders 1", "Orders 2", "Orders 3"]);
    const first = found.find((a) => a.externalId === refs[0].ids.restApiId)!;
    expect(first).toMatchObject({ version: "v1", context: "/meridian", contentHash: refs[0].contentHash });
    expect(first.upstreams).toEqual([`${backend.url}/base/health`, `${backend.url}/base/orders`, `${backend.url}/base/orders/{orderId}`]);
    expect(Object.keys((first.definition as { paths: object }).paths).sort()).toEqual(["/health", "/orders", "/orders/{orderId}"]);
    // 3 APIs at 2 a page: two pages of GetRestApis.
    expect(emulator.state.requests.filter((r) => r.method === "GET" && r.path === "/restapis")).toHaveLength(2);
    // Equal content, equal hash: a second discovery reports no change.
    expect((await aws.discover(config)).map((a) => a.contentHash).sort()).toEqual(found.map((a) => a.contentHash).sort());
  });

  it("reports throttling as retryable, and the next call succeeds", async () => {
    emulator.faults.push({ match: { method: "GET", pathPrefix: "/restapis" }, status: 429, times: 1 });
    const error = await aws.discover(config).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: "throttled", retryable: true, status: 429 });
    expect(error.message).toMatch(/TooManyRequestsException/);
    await expect(aws.discover(config)).resolves.toEqual([]);
  });

  it("removes the REST API when a first deploy fails midway", async () => {
    emulator.faults.push({ match: { method: "POST", pathPrefix: "/restapis/" }, status: 500 });
    const steps: string[] = [];
    const error = await aws.deploy(input({ onStep: (s) => void steps.push(s) })).catch((e) => e);
    expect(error).toMatchObject({ code: "unavailable", retryable: true });
    expect(emulator.state.restApis.size).toBe(0);
    expect(emulator.state.usagePlans.size).toBe(0);
    expect(steps).toEqual(["Imported the REST API", "Removed the REST API of the failed attempt"]);
  });

  it("retries with the same idempotency key without a second REST API", async () => {
    // The first attempt fails and cannot clean up: the retry must find what it left.
    emulator.faults.push(
      { match: { method: "POST", pathPrefix: "/restapis/" }, status: 500 },
      { match: { method: "DELETE", pathPrefix: "/restapis/" }, status: 503 },
    );
    await expect(aws.deploy(input())).rejects.toBeInstanceOf(ConnectorError);
    expect(emulator.state.restApis.size).toBe(1);
    const leftover = [...emulator.state.restApis.keys()][0];

    const ref = await aws.deploy(input());
    expect(ref.ids.restApiId).toBe(leftover);
    // A success whose answer was lost is retried the same way.
    const again = await aws.deploy(input());
    expect(again.ids.restApiId).toBe(leftover);
    expect(emulator.state.restApis.size).toBe(1);
    expect(emulator.state.usagePlans.size).toBe(3);
  });

  it("keeps the oldest REST API of a deployment and removes the others that attempts left", async () => {
    // Two attempts that ran at once (a lease lost while its worker still ran) each made one.
    const { APIGatewayClient, CreateRestApiCommand } = await import("@aws-sdk/client-api-gateway");
    const client = new APIGatewayClient({
      region: "eu-west-1",
      endpoint: emulator.url,
      credentials: { accessKeyId: String(config.accessKeyId), secretAccessKey: String(config.secretAccessKey) },
    });
    const tags = { "meridian:idempotency-key": input().idempotencyKey };
    const made = [];
    for (const name of ["first", "second"]) made.push((await client.send(new CreateRestApiCommand({ name, tags }))).id!);
    client.destroy();
    const oldest = [...made].sort()[0];
    const ref = await aws.deploy(input());
    expect(ref.ids.restApiId).toBe(oldest);
    expect([...emulator.state.restApis.keys()]).toEqual([oldest]);
    expect(emulator.state.usagePlans.size).toBe(3);
  });

  it("creates the REST API with its tags in one call, before writing its definition into it", async () => {
    await aws.deploy(input());
    const writes = emulator.state.requests
      .filter((r) => r.method !== "GET")
      .map((r) => `${r.method} ${r.path.replace(/\/restapis\/[^/]+/, "/restapis/{id}")}`);
    expect(writes.slice(0, 2)).toEqual(["POST /restapis", "PUT /restapis/{id}"]);
    expect(emulator.state.requests.some((r) => r.path.startsWith("/tags/"))).toBe(false);
  });

  it("deploys a document whose schema names API Gateway refuses, under alphanumeric names", async () => {
    const definition = {
      ...SAMPLE_DEFINITION,
      paths: {
        ...(SAMPLE_DEFINITION.paths as object),
        "/calls": {
          post: {
            operationId: "createCall",
            requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/api.v2010.account.call" } } } },
            responses: { "201": { description: "Created" } },
          },
        },
      },
      components: {
        schemas: {
          call_enum_event: { type: "string", enum: ["initiated"] },
          "api.v2010.account.call": { type: "object", properties: { event: { $ref: "#/components/schemas/call_enum_event" } } },
        },
      },
    };
    const base = input();
    const ref = await aws.deploy({ ...base, revision: { ...base.revision, definition } });
    expect(ref.invokeUrl).toBeTruthy();
    expect((await invoke(ref.invokeUrl!, "/calls", { method: "POST", apiKey: KEY })).status).toBe(403);
    expect((await invoke(ref.invokeUrl!, "/health")).status).toBe(200);
  });

  it("refuses to deploy an API without operations, before any call", async () => {
    const base = input();
    const error = await aws
      .deploy({
        ...base,
        revision: {
          ...base.revision,
          definition: {
            openapi: "3.1.0",
            info: { title: "Hooks", version: "1" },
            webhooks: { ping: { post: { responses: { "200": { description: "ok" } } } } },
          },
        },
      })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "unsupported", retryable: false });
    expect(error.message).toMatch(/without methods/);
    expect(emulator.state.requests).toHaveLength(0);
  });

  it("refuses to deploy what API Gateway cannot enforce, before any call", async () => {
    const settings = sampleSettings({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } });
    const error = await aws.deploy(input({}, settings)).catch((e) => e);
    expect(error).toMatchObject({ code: "unsupported", retryable: false });
    expect(error.message).toMatch(/Lambda authorizer ARN/);
    expect(emulator.state.requests).toHaveLength(0);
  });

  it("is refused with a wrong secret or an unknown access key", async () => {
    const wrongSecret = await aws.discover({ ...config, secretAccessKey: "not-the-secret" }).catch((e) => e);
    expect(wrongSecret).toMatchObject({ code: "unauthorized", retryable: false });
    expect(wrongSecret.message).toMatch(/InvalidSignatureException/);
    const unknownKey = await aws.discover({ ...config, accessKeyId: "AKIAUNKNOWNKEY000000" }).catch((e) => e);
    expect(unknownKey.message).toMatch(/UnrecognizedClientException/);
    const unsigned = await fetch(`${emulator.url}/restapis`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
  });
});
