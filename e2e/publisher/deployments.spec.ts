import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { closeDb } from "@/lib/db/client";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { listDeployments } from "@/lib/services/deployments/list-deployments";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { expect, seedCtx, seedUser, signInRequest, test, unique, type SeededUser } from "../fixtures";

/**
 * Federation end to end: one revision deployed from the publisher portal to the built-in gateway
 * and to emulated AWS API Gateway and Azure API Management environments, each through its
 * connector and a job; then real calls through the emulators' data planes with a subscription's
 * API key (AWS) and a Meridian access token (Azure).
 */
const ORDERS = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Orders", version: "v1" },
  paths: {
    "/orders": { get: { operationId: "listOrders", responses: { "200": { description: "ok" } } } },
    "/orders/{orderId}": {
      get: {
        operationId: "getOrder",
        parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/order.v1.order" } } } },
        },
      },
    },
  },
  // Names API Gateway refuses as model names: its plan renames them, and the import succeeds.
  components: {
    schemas: {
      "order.v1.order": { type: "object", properties: { lines: { type: "array", items: { $ref: "#/components/schemas/order_line" } } } },
      order_line: { type: "object" },
    },
  },
});

const AWS_URL = process.env.E2E_AWS_URL!;
const AWS_DATA_URL = process.env.E2E_AWS_DATA_URL!;
const AZURE_URL = process.env.E2E_AZURE_URL!;
const AZURE_CA_FILE = process.env.E2E_AZURE_CA_FILE!;

let backend: http.Server;
let upstream: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  backend = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, path: req.url }));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  upstream = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/shop`;
});

test.afterAll(async () => {
  backend?.close();
  await closeDb();
});

async function seedApi(publisher: SeededUser, scheme: "apiKey" | "oauth2", tiers: string[]) {
  const name = unique(scheme === "apiKey" ? "Orders" : "Ledger");
  const api = await createApi(
    {
      name,
      version: "v1",
      context: `/${name.toLowerCase()}`,
      definition: ORDERS,
      endpoints: { production: upstream, sandbox: null, overrides: {} },
      security: { scheme, apiKeyHeader: "x-api-key" },
      allowedTiers: tiers,
    } as never,
    publisher.ctx,
  );
  await changeLifecycle(api.id, { action: "publish" } as never, publisher.ctx);
  await createRevision(api.id, { description: "federation e2e" }, publisher.ctx);
  return api;
}

async function seedAwsEnvironment(withAuthorizer: boolean) {
  const name = unique("aws");
  await createEnvironment(
    {
      name,
      type: "aws",
      mode: "read-write",
      displayName: `AWS ${name}`,
      region: "eu-west-1",
      config: {
        region: "eu-west-1",
        accessKeyId: "AKIAMERIDIANEMULATOR",
        secretAccessKey: "meridian-emulator-secret",
        endpoint: AWS_URL,
        stageName: "prod",
        invokeUrlTemplate: `${AWS_DATA_URL}/restapis/{restApiId}/{stage}/_user_request_`,
        ...(withAuthorizer ? { authorizerArn: "arn:aws:lambda:eu-west-1:123456789012:function:meridian-authorizer" } : {}),
      },
    },
    seedCtx,
  );
  return `AWS ${name}`;
}

async function seedAzureEnvironment() {
  const name = unique("azure");
  await createEnvironment(
    {
      name,
      type: "azure",
      mode: "read-write",
      displayName: `Azure ${name}`,
      region: "westeurope",
      config: {
        tenantId: "00000000-0000-0000-0000-0000000000aa",
        clientId: "00000000-0000-0000-0000-0000000000cc",
        clientSecret: "meridian-emulator-secret",
        subscriptionId: "00000000-0000-0000-0000-000000000001",
        resourceGroup: "meridian-rg",
        serviceName: "meridian-apim",
        endpoint: AZURE_URL,
        authorityHost: AZURE_URL,
        caCertificate: fs.readFileSync(AZURE_CA_FILE, "utf8"),
      },
    },
    seedCtx,
  );
  return `Azure ${name}`;
}

/** Previews the plan (each environment shows what it would receive, `expectKinds` by artifact kind), then deploys. */
async function deployFromPortal(
  page: Page,
  apiId: string,
  environments: string[],
  expectKinds: Record<string, string> = {},
  expectNotes: Record<string, RegExp> = {},
) {
  await page.goto(`/publisher/apis/${apiId}/deployments`);
  const form = page.getByRole("form", { name: "Deploy a revision" });
  for (const env of environments) await form.getByRole("checkbox", { name: new RegExp(env) }).check();
  await form.getByRole("button", { name: "Preview plan" }).click();
  for (const env of environments) await expect(page.getByRole("region", { name: `Plan for ${env}` })).toBeVisible();
  for (const [env, kind] of Object.entries(expectKinds))
    await expect(
      page
        .getByRole("region", { name: `Plan for ${env}` })
        .getByText(kind, { exact: true })
        .first(),
    ).toBeVisible();
  await expect(page.getByRole("list", { name: "Refusals" })).toHaveCount(0);
  for (const [env, note] of Object.entries(expectNotes))
    await expect(page.getByRole("region", { name: `Plan for ${env}` }).getByRole("list", { name: "Notes" })).toContainText(note);
  await form.getByRole("button", { name: "Deploy" }).click();
  const table = page.getByRole("table", { name: "Deployments" });
  for (const env of environments) {
    const row = table.getByRole("row").filter({ hasText: env });
    // Push environments go pending → deploying → deployed while the page polls.
    await expect(row.getByTestId("deployment-status")).toHaveText("deployed", { timeout: 45_000 });
  }
}

test("a revision deployed to the built-in and AWS environments serves through AWS with a subscription's API key", async ({ page }) => {
  test.setTimeout(120_000);
  const publisher = await seedUser(["publisher"], "fed-pub");
  const consumer = await seedUser(["subscriber"], "fed-sub");
  const api = await seedApi(publisher, "apiKey", ["Gold"]);
  const aws = await seedAwsEnvironment(false);
  await signInRequest(page.request, publisher.email, publisher.password);

  await deployFromPortal(
    page,
    api.id,
    ["Default", aws],
    { [aws]: "usage-plan", Default: "snapshot-api" },
    { [aws]: /order\.v1\.order → OrderV1Order, order_line → OrderLine/ },
  );
  const invokeUrl = (await listDeployments(api.id, publisher.ctx)).find((d) => d.environmentType === "aws")!.invokeUrl!;
  await expect(page.getByRole("table", { name: "Deployments" }).getByText(invokeUrl, { exact: true })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("deployments.png"), fullPage: true });

  const app = await createApplication({ name: unique("fed-app") }, consumer.ctx);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, consumer.ctx);
  const { key } = await createApiKey(app.id, { keyType: "production", name: "aws" }, consumer.ctx);
  // The key-sync job installs the key in the Gold usage plan on AWS.
  await expect
    .poll(async () => (await fetch(`${invokeUrl}/orders/42`, { headers: { "x-api-key": key } })).status, {
      timeout: 30_000,
      intervals: [250],
    })
    .toBe(200);
  const body = await (await fetch(`${invokeUrl}/orders/42`, { headers: { "x-api-key": key } })).json();
  expect(body).toEqual({ ok: true, path: "/shop/orders/42" });
  expect((await fetch(`${invokeUrl}/orders/42`)).status).toBe(403);
});

test("one revision deployed to built-in, AWS and Azure together serves through Azure with a Meridian access token", async ({ page }) => {
  test.setTimeout(150_000);
  const publisher = await seedUser(["publisher"], "fed3-pub");
  const consumer = await seedUser(["subscriber"], "fed3-sub");
  // AWS enforces tiers through API keys only: an OAuth2 API goes there on the Unlimited tier.
  const api = await seedApi(publisher, "oauth2", ["Unlimited"]);
  const aws = await seedAwsEnvironment(true);
  const azure = await seedAzureEnvironment();
  await signInRequest(page.request, publisher.email, publisher.password);

  await deployFromPortal(page, api.id, ["Default", aws, azure], { [azure]: "policy", [aws]: "openapi" });
  const invokeUrl = (await listDeployments(api.id, publisher.ctx)).find((d) => d.environmentType === "azure")!.invokeUrl!;

  const app = await createApplication({ name: unique("fed3-app") }, consumer.ctx);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Unlimited" }, consumer.ctx);
  const { clientId, clientSecret } = await generateClientCredentials(app.id, { keyType: "production" }, consumer.ctx);
  const tokenResponse = await page.request.post("/oauth2/token", {
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
  });
  expect(tokenResponse.status()).toBe(200);
  const { access_token: token } = await tokenResponse.json();

  const call = (headers: Record<string, string>) => fetch(`${invokeUrl}/orders/7`, { headers });
  expect((await call({ authorization: `Bearer ${token}` })).status).toBe(200);
  expect(await (await call({ authorization: `Bearer ${token}` })).json()).toEqual({ ok: true, path: "/shop/orders/7" });
  expect((await call({})).status).toBe(401);
  expect((await call({ authorization: `Bearer ${token.slice(0, -4)}abcd` })).status).toBe(401);
});
