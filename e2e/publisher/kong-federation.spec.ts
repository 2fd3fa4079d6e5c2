import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeDb } from "@/lib/db/client";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { listDeployments } from "@/lib/services/deployments/list-deployments";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { expect, seedCtx, seedUser, signInRequest, test, unique } from "../fixtures";

/**
 * One revision from the publisher portal to the built-in gateway, AWS, Azure and Kong at once;
 * then a Meridian access token through Kong's proxy, once key sync has given the subscribed
 * application its jwt credential.
 */
const ORDERS = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Orders", version: "v1" },
  paths: {
    "/orders/{orderId}": {
      get: {
        operationId: "getOrder",
        parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
      },
    },
  },
});

let backend: http.Server;
let upstream: string;

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

async function seedEnvironments() {
  const aws = unique("aws");
  const azure = unique("azure");
  const kong = unique("kong");
  await createEnvironment(
    {
      name: aws,
      type: "aws",
      mode: "read-write",
      displayName: `AWS ${aws}`,
      region: "eu-west-1",
      config: {
        region: "eu-west-1",
        accessKeyId: "AKIAMERIDIANEMULATOR",
        secretAccessKey: "meridian-emulator-secret",
        endpoint: process.env.E2E_AWS_URL!,
        stageName: "prod",
        invokeUrlTemplate: `${process.env.E2E_AWS_DATA_URL!}/restapis/{restApiId}/{stage}/_user_request_`,
        authorizerArn: "arn:aws:lambda:eu-west-1:123456789012:function:meridian-authorizer",
      },
    },
    seedCtx,
  );
  await createEnvironment(
    {
      name: azure,
      type: "azure",
      mode: "read-write",
      displayName: `Azure ${azure}`,
      region: "westeurope",
      config: {
        tenantId: "00000000-0000-0000-0000-0000000000aa",
        clientId: "00000000-0000-0000-0000-0000000000cc",
        clientSecret: "meridian-emulator-secret",
        subscriptionId: "00000000-0000-0000-0000-000000000001",
        resourceGroup: "meridian-rg",
        serviceName: "meridian-apim",
        endpoint: process.env.E2E_AZURE_URL!,
        authorityHost: process.env.E2E_AZURE_URL!,
        caCertificate: fs.readFileSync(process.env.E2E_AZURE_CA_FILE!, "utf8"),
      },
    },
    seedCtx,
  );
  await createEnvironment(
    {
      name: kong,
      type: "kong",
      mode: "read-write",
      displayName: `Kong ${kong}`,
      region: "local",
      publicUrls: [process.env.E2E_KONG_PROXY_URL!],
      config: { adminUrl: process.env.E2E_KONG_ADMIN_URL! },
    },
    seedCtx,
  );
  return { aws: `AWS ${aws}`, azure: `Azure ${azure}`, kong: `Kong ${kong}` };
}

test("one revision deployed to built-in, AWS, Azure and Kong serves through Kong's proxy with a Meridian access token", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const publisher = await seedUser(["publisher"], "kong-pub");
  const consumer = await seedUser(["subscriber"], "kong-sub");
  const name = unique("Orders");
  const api = await createApi(
    {
      name,
      version: "v1",
      context: `/${name.toLowerCase()}`,
      definition: ORDERS,
      endpoints: { production: upstream, sandbox: null, overrides: {} },
      security: { scheme: "oauth2", apiKeyHeader: "x-api-key" },
      // AWS enforces tiers through API keys only: an OAuth2 API goes there on the Unlimited tier.
      allowedTiers: ["Unlimited"],
    } as never,
    publisher.ctx,
  );
  await changeLifecycle(api.id, { action: "publish" } as never, publisher.ctx);
  await createRevision(api.id, { description: "federation to Kong" }, publisher.ctx);
  const envs = await seedEnvironments();
  await signInRequest(page.request, publisher.email, publisher.password);

  await page.goto(`/publisher/apis/${api.id}/deployments`);
  const form = page.getByRole("form", { name: "Deploy a revision" });
  const targets = ["Default", envs.aws, envs.azure, envs.kong];
  for (const env of targets) await form.getByRole("checkbox", { name: new RegExp(env) }).check();
  await form.getByRole("button", { name: "Preview plan" }).click();
  const kongPlan = page.getByRole("region", { name: `Plan for ${envs.kong}` });
  await expect(kongPlan.getByText("declarative-config", { exact: true }).first()).toBeVisible();
  await expect(kongPlan.getByRole("list", { name: "Notes" })).toContainText(/does not check the audience/);
  await expect(page.getByRole("list", { name: "Refusals" })).toHaveCount(0);
  await form.getByRole("button", { name: "Deploy" }).click();
  const table = page.getByRole("table", { name: "Deployments" });
  for (const env of targets)
    await expect(table.getByRole("row").filter({ hasText: env }).getByTestId("deployment-status")).toHaveText("deployed", {
      timeout: 45_000,
    });

  const invokeUrl = (await listDeployments(api.id, publisher.ctx)).find((d) => d.environmentType === "kong")!.invokeUrl!;
  expect(invokeUrl).toBe(`${process.env.E2E_KONG_PROXY_URL}/${name.toLowerCase()}/v1`);
  await expect(table.getByText(invokeUrl, { exact: true })).toBeVisible();

  const app = await createApplication({ name: unique("kong-app") }, consumer.ctx);
  const { clientId, clientSecret } = await generateClientCredentials(app.id, { keyType: "production" }, consumer.ctx);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Unlimited" }, consumer.ctx);
  const tokenResponse = await page.request.post("/oauth2/token", {
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
  });
  expect(tokenResponse.status()).toBe(200);
  const { access_token: token } = await tokenResponse.json();

  const call = (headers: Record<string, string>) => fetch(`${invokeUrl}/orders/7`, { headers });
  // The key-sync job gives the application's consumer its jwt credential on Kong.
  await expect.poll(async () => (await call({ authorization: `Bearer ${token}` })).status, { timeout: 30_000, intervals: [250] }).toBe(200);
  expect(await (await call({ authorization: `Bearer ${token}` })).json()).toEqual({ ok: true, path: "/shop/orders/7" });
  expect((await call({})).status).toBe(401);
  expect((await call({ authorization: `Bearer ${token.slice(0, -4)}abcd` })).status).toBe(401);
});
