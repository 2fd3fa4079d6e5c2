import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { expect, seedUser, signInRequest, test, unique } from "../fixtures";

/**
 * An HAProxy agent environment end to end: an admin registers it and makes its gateway token in
 * the admin portal, the agent (npm run agent:haproxy) runs Debian's HAProxy with it, a
 * deployment to the environment is served, the instance shows its applied version, and a
 * subscriber's Try it call goes through HAProxy.
 */

const haproxyPort = Number(process.env.E2E_HAPROXY_PORT);
const GREETING = "hello through haproxy";
let agent: ChildProcess | null = null;
let backend: http.Server | null = null;
let configDir: string | null = null;

test.afterAll(async () => {
  if (agent && agent.exitCode === null) {
    const exited = new Promise((resolve) => agent!.once("exit", resolve));
    agent.kill("SIGTERM");
    await exited;
  }
  await new Promise((resolve) => (backend ? backend.close(resolve) : resolve(undefined)));
  if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
});

test("an admin runs HAProxy as an agent environment; a deployment to it is served and Try it calls through HAProxy", async ({
  asAdmin: { page },
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  backend = http.createServer((req, res) => {
    const body = JSON.stringify({ greeting: GREETING, path: req.url });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => backend!.listen(0, "127.0.0.1", resolve));
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  const gatewayUrl = `http://127.0.0.1:${haproxyPort}`;

  // The admin registers the environment and makes its token.
  const name = unique("haproxy").toLowerCase();
  await page.goto("/admin/environments/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Display name").fill("HAProxy edge");
  await page.getByLabel("Type").selectOption({ label: "Gateway agent" });
  await page.getByRole("combobox", { name: /^Gateway/ }).selectOption({ label: "HAProxy (npm run agent:haproxy)" });
  await page.getByLabel("Public URLs").fill(gatewayUrl);
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page.getByRole("heading", { name: "HAProxy edge" })).toBeVisible();
  await page.getByLabel("Token name").fill("haproxy edge");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("gateway-token").textContent())!.trim();
  expect(token).toMatch(/^mgw_/);

  // The agent beside HAProxy, as an operator starts it.
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-haproxy-"));
  agent = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "agent/haproxy/main.ts",
      "--environment",
      name,
      "--control-plane",
      baseURL!,
      "--haproxy-config-dir",
      configDir,
      "--port",
      String(haproxyPort),
      "--host",
      "127.0.0.1",
      "--instance-id",
      "haproxy-e2e",
    ],
    { env: { ...process.env, MERIDIAN_GATEWAY_TOKEN: token, LOG_LEVEL: "warn" }, stdio: ["ignore", "inherit", "inherit"] },
  );

  // A publisher's API, deployed to the agent environment: immediate, like the built-in gateway.
  const publisher = await seedUser(["publisher"], "haproxy-publisher");
  const apiName = unique("Haproxied");
  const context = `/${unique("haproxied").toLowerCase()}`;
  const api = await createApi(
    {
      name: apiName,
      version: "v1",
      context,
      description: "Says hello through HAProxy.",
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: apiName, version: "1.0.0" },
        paths: { "/hello": { get: { summary: "Say hello", responses: { "200": { description: "A greeting" } } } } },
      }),
      endpoints: { production: backendUrl, sandbox: null, overrides: {} },
      security: { scheme: "oauth2", apiKeyHeader: "apikey" },
      allowedTiers: ["Gold"],
    },
    publisher.ctx,
  );
  await changeLifecycle(api.id, { action: "publish" }, publisher.ctx);
  const revision = await createRevision(api.id, { description: "first release" }, publisher.ctx);
  const [deployment] = await deployRevision(api.id, { revisionId: revision.id, environments: [name] }, publisher.ctx);
  expect(deployment.status).toBe("deployed");

  // HAProxy serves it: without a token it answers Meridian's 401.
  await expect(async () => {
    const res = await fetch(`${gatewayUrl}${context}/v1/hello`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "missing_credentials" });
  }).toPass({ timeout: 30_000 });

  // The admin sees the instance, healthy and current.
  const instances = page.getByRole("table", { name: "Gateway instances" });
  await expect(async () => {
    await page.reload();
    await expect(instances.getByRole("row", { name: /haproxy-e2e/ })).toContainText("current", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(instances.getByRole("row", { name: /haproxy-e2e/ })).toContainText("healthy");
  await expect(instances.getByRole("row", { name: /haproxy-e2e/ }).getByTestId("instance-last-error")).toHaveText("—");

  // A subscriber finds the API's HAProxy URL in the catalog and calls it with Try it.
  const subscriber = await seedUser(["subscriber"], "haproxy-consumer");
  const app = await createApplication({ name: "HAProxy app" }, subscriber.ctx);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, subscriber.ctx);
  await generateClientCredentials(app.id, { keyType: "production" }, subscriber.ctx);
  const context2 = await browser.newContext({ baseURL });
  const dev = await context2.newPage();
  await signInRequest(dev.request, subscriber.email, subscriber.password);
  await dev.goto(`/apis/${api.id}`);
  await expect(dev.getByTestId("gateway-url")).toHaveText(`${gatewayUrl}${context}/v1`);
  await dev.getByRole("link", { name: "Try it", exact: true }).click();
  await dev.getByRole("button", { name: "Get a token" }).click();
  await expect(dev.getByRole("textbox", { name: "Access token" })).toHaveValue(/^eyJ/);
  await expect(async () => {
    await dev.getByRole("button", { name: "Send request" }).click();
    await expect(dev.getByTestId("try-status")).toHaveText(/^200/, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(dev.getByTestId("try-body")).toContainText(GREETING);
  await expect(dev.getByTestId("try-curl")).toContainText(`curl '${gatewayUrl}${context}/v1/hello'`);
  await context2.close();
});
