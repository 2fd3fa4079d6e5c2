import { closeDb } from "@/lib/db/client";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { listTierNames } from "@/lib/services/tiers/list-tiers";
import { expect, SAME_ORIGIN, seedUser, signInRequest, test, unique, type SeededUser } from "../fixtures";
import { GREETING, startBackend } from "./support";

const gatewayUrl = process.env.E2E_GATEWAY_URL!;

let backend: Awaited<ReturnType<typeof startBackend>>;
let publisher: SeededUser;

const DEFINITION = {
  openapi: "3.0.3",
  info: { title: "Defaults", version: "1.0.0" },
  paths: {
    "/hello/{name}": {
      get: {
        summary: "Greet someone",
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "A greeting" } },
      },
    },
  },
};

/** An API as a publisher creates it without touching its policies: no allowed tiers chosen, CORS off. */
async function seedUntouchedApi(label: string) {
  const name = unique(label);
  const api = await createApi(
    {
      name,
      version: "v1",
      context: `/${name.toLowerCase()}`,
      definition: JSON.stringify(DEFINITION),
      endpoints: { production: backend.url, sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "apikey" },
    },
    publisher.ctx,
  );
  expect(api.allowedTiers).toEqual([]);
  expect(api.cors.enabled).toBe(false);
  await changeLifecycle(api.id, { action: "publish" }, publisher.ctx);
  const revision = await createRevision(api.id, { description: "first" }, publisher.ctx);
  await deployRevision(api.id, { revisionId: revision.id, environments: ["default"] }, publisher.ctx);
  return { id: api.id, name, context: `/${name.toLowerCase()}` };
}

test.beforeAll(async () => {
  backend = await startBackend();
  publisher = await seedUser(["publisher"], "defaults-publisher");
});

test.afterAll(async () => {
  await backend?.close();
  await closeDb();
});

test("an API whose publisher chose no tier offers every tier: catalog, subscribe button and REST", async ({ page }) => {
  const api = await seedUntouchedApi("Untiered");
  const consumer = await seedUser(["subscriber"], "untiered-consumer");
  await createApplication({ name: "Tier app" }, consumer.ctx);
  await signInRequest(page.request, consumer.email, consumer.password);

  await page.goto(`/apis/${api.id}`);
  await expect(page.getByText("offers no subscription tier")).toHaveCount(0);
  const tiers = await listTierNames("subscription");
  for (const name of ["Bronze", "Silver", "Gold", "Unlimited"]) expect(tiers).toContain(name);
  await expect(page.getByRole("radio", { name: /Unlimited/ })).toBeVisible();
  await expect(page.getByRole("radio")).toHaveCount(tiers.length);
  await page.getByRole("radio", { name: /Silver/ }).check();
  await page.getByRole("button", { name: "Subscribe", exact: true }).click();
  const mine = page.getByRole("list", { name: "Your subscriptions to this API" });
  await expect(mine.getByText("on Silver")).toBeVisible();
  await expect(mine.getByText("Active")).toBeVisible();

  // The REST catalog says the same, and the REST API subscribes on any tier that exists.
  const detail = await (await page.request.get(`/api/v1/catalog/${api.id}`)).json();
  expect(detail.tiers.map((t: { name: string }) => t.name).sort()).toEqual([...tiers].sort());
  const other = await createApplication({ name: "Tier app 2" }, consumer.ctx);
  const res = await page.request.post("/api/v1/subscriptions", {
    data: { applicationId: other.id, apiId: api.id, tier: "Unlimited" },
    headers: SAME_ORIGIN,
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
  const refused = await page.request.post("/api/v1/subscriptions", {
    data: { applicationId: other.id, apiId: api.id, tier: "NoSuchTier" },
    headers: SAME_ORIGIN,
  });
  expect(refused.status()).toBe(400);
});

test("Try it calls an API whose publisher never configured CORS, through the portal's server", async ({ page }) => {
  test.setTimeout(90_000);
  const api = await seedUntouchedApi("NoCors");
  const consumer = await seedUser(["subscriber"], "nocors-consumer");
  const app = await createApplication({ name: "Try app" }, consumer.ctx);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, consumer.ctx);
  const { key } = await createApiKey(app.id, { name: "try" }, consumer.ctx);
  await signInRequest(page.request, consumer.email, consumer.password);

  // The gateway itself answers no CORS for the portal: a browser could not call it directly.
  const preflight = await page.request.fetch(`${gatewayUrl}${api.context}/v1/hello/ada`, {
    method: "OPTIONS",
    headers: { origin: process.env.E2E_BASE_URL!, "access-control-request-method": "GET", "access-control-request-headers": "apikey" },
  });
  expect(preflight.headers()["access-control-allow-origin"]).toBeUndefined();

  const browserToGateway: string[] = [];
  page.on("request", (r) => {
    if (r.url().startsWith(gatewayUrl)) browserToGateway.push(r.url());
  });
  await page.goto(`/apis/${api.id}/try`);
  await expect(page.getByText(/has not enabled CORS/)).toHaveCount(0);
  await page.getByRole("textbox", { name: "API key" }).fill(key);
  await page.getByLabel("Path parameter name").fill("ada lovelace");
  await expect(async () => {
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.getByTestId("try-status")).toHaveText(/^200/, { timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("try-body")).toContainText(GREETING);
  await expect(page.getByTestId("try-body")).toContainText('"path": "/hello/ada%20lovelace"');
  expect(browserToGateway).toEqual([]);

  // A wrong key is the gateway's 401, shown as the gateway answered it.
  await page.getByRole("textbox", { name: "API key" }).fill("mrd_wrong");
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByTestId("try-status")).toHaveText(/^401/);
});
