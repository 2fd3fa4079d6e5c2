import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeDb } from "@/lib/db/client";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { listDeployments } from "@/lib/services/deployments/list-deployments";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { expect, seedCtx, seedUser, signInRequest, test, unique } from "../fixtures";

/**
 * Federation to Envoy Gateway end to end: one revision deployed from the publisher portal to the
 * built-in gateway and to an emulated Kubernetes cluster running Envoy Gateway; the plan shows
 * the manifests, both deployments end deployed, and a subscription's API key (installed in the
 * API's key Secret by the key synchronisation) passes the Envoy data plane.
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
    res.end(JSON.stringify({ ok: true, path: req.url, client: req.headers["x-meridian-client-id"] ?? null }));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  upstream = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/shop`;
});

test.afterAll(async () => {
  backend?.close();
  await closeDb();
});

test("one revision deployed to built-in and Envoy Gateway serves through the Envoy data plane with a subscription's API key", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const publisher = await seedUser(["publisher"], "envoy-pub");
  const consumer = await seedUser(["subscriber"], "envoy-sub");
  const name = unique("Orders");
  const api = await createApi(
    {
      name,
      version: "v1",
      context: `/${name.toLowerCase()}`,
      definition: ORDERS,
      endpoints: { production: upstream, sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold"],
    } as never,
    publisher.ctx,
  );
  await changeLifecycle(api.id, { action: "publish" } as never, publisher.ctx);
  await createRevision(api.id, { description: "envoy e2e" }, publisher.ctx);
  const envName = unique("envoy");
  await createEnvironment(
    {
      name: envName,
      type: "envoy",
      mode: "read-write",
      displayName: `Envoy ${envName}`,
      region: "local",
      publicUrls: [process.env.E2E_K8S_DATA_URL!],
      config: {
        apiServerUrl: process.env.E2E_K8S_URL!,
        bearerToken: "meridian-emulator-token",
        caCertificate: fs.readFileSync(process.env.E2E_K8S_CA_FILE!, "utf8"),
        namespace: "apis",
        gatewayName: "eg",
      },
    } as never,
    seedCtx,
  );
  const envoy = `Envoy ${envName}`;
  await signInRequest(page.request, publisher.email, publisher.password);

  await page.goto(`/publisher/apis/${api.id}/deployments`);
  const form = page.getByRole("form", { name: "Deploy a revision" });
  for (const env of ["Default", envoy]) await form.getByRole("checkbox", { name: new RegExp(env) }).check();
  await form.getByRole("button", { name: "Preview plan" }).click();
  const plan = page.getByRole("region", { name: `Plan for ${envoy}` });
  await expect(plan.getByText("manifests", { exact: true }).first()).toBeVisible();
  await expect(plan).toContainText("kind: HTTPRoute");
  await expect(page.getByRole("list", { name: "Refusals" })).toHaveCount(0);
  await form.getByRole("button", { name: "Deploy" }).click();
  const table = page.getByRole("table", { name: "Deployments" });
  for (const env of ["Default", envoy])
    await expect(table.getByRole("row").filter({ hasText: env }).getByTestId("deployment-status")).toHaveText("deployed", {
      timeout: 45_000,
    });

  const invokeUrl = (await listDeployments(api.id, publisher.ctx)).find((d) => d.environmentType === "envoy")!.invokeUrl!;
  expect(invokeUrl).toBe(`${process.env.E2E_K8S_DATA_URL}/${name.toLowerCase()}/v1`);
  await expect(table.getByText(invokeUrl, { exact: true })).toBeVisible();

  const app = await createApplication({ name: unique("envoy-app") }, consumer.ctx);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, consumer.ctx);
  const { key } = await createApiKey(app.id, { keyType: "production", name: "envoy" }, consumer.ctx);
  // The key synchronisation writes the key into the API's Secret on the cluster.
  await expect
    .poll(async () => (await fetch(`${invokeUrl}/orders/42`, { headers: { "x-api-key": key } })).status, {
      timeout: 30_000,
      intervals: [250],
    })
    .toBe(200);
  const body = await (await fetch(`${invokeUrl}/orders/42`, { headers: { "x-api-key": key } })).json();
  expect(body).toMatchObject({ ok: true, path: "/shop/orders/42", client: expect.stringMatching(/^gold\./) });
  expect((await fetch(`${invokeUrl}/orders/42`)).status).toBe(401);
  expect((await fetch(`${invokeUrl}/orders/42`, { headers: { "x-api-key": "not-a-subscriber" } })).status).toBe(401);
});
