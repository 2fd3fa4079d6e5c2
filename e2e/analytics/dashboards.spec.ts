import http from "node:http";
import type { AddressInfo } from "node:net";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { closeDb } from "@/lib/db/client";
import { expect, seedUser, signInRequest, test, unique, type SeededUser } from "../fixtures";

/**
 * Real traffic through the built-in gateway of the `default` environment: the gateway ships
 * its events to the ingest endpoint, and the dashboards show them (raw until the worker rolls
 * them up, then from the roll-ups: the counts never change in between).
 */
const PETSTORE = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Pets", version: "1.0.0" },
  paths: {
    "/pets": { get: { responses: { "200": { description: "ok" } } } },
    "/pets/{id}": {
      get: {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
      },
    },
  },
});

const OK_CALLS = 6;
const FAILED_CALLS = 2;
const UNAUTHORISED_CALLS = 3;
const TOTAL = OK_CALLS + FAILED_CALLS + UNAUTHORISED_CALLS;

let backend: http.Server;
let publisher: SeededUser;
let consumer: SeededUser;
let apiName: string;
let apiId: string;
let appName: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  backend = http.createServer((req, res) => {
    const status = req.url?.includes("/pets/boom") ? 500 : 200;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: status === 200, path: req.url }));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  const upstream = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

  publisher = await seedUser(["publisher"], "an-pub");
  consumer = await seedUser(["subscriber"], "an-sub");
  apiName = unique("Traffic");
  const context = `/${unique("traffic").toLowerCase()}`;
  const api = await createApi(
    {
      name: apiName,
      version: "v1",
      context,
      definition: PETSTORE,
      endpoints: { production: upstream, sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "apikey" },
      allowedTiers: ["Gold"],
    } as never,
    publisher.ctx,
  );
  apiId = api.id;
  await changeLifecycle(apiId, { action: "publish" } as never, publisher.ctx);
  // Subscription and key before the deployment: every snapshot that holds the API then holds
  // the key too, so no call below can reach the API before its key (a 401 that would count).
  appName = unique("an-app");
  const app = await createApplication({ name: appName }, consumer.ctx);
  await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, consumer.ctx);
  const { key } = await createApiKey(app.id, { keyType: "production", name: "e2e" }, consumer.ctx);
  const revision = await createRevision(apiId, { description: "analytics e2e" }, publisher.ctx);
  await deployRevision(apiId, { revisionId: revision.id, environments: ["default"] }, publisher.ctx);

  const gateway = process.env.E2E_GATEWAY_URL!;
  const call = (path: string, headers: Record<string, string> = { apikey: key }) =>
    fetch(`${gateway}${context}/v1${path}`, { headers }).then((r) => r.status);
  // The gateway learns of the deployment through its snapshot long-poll; until then it answers
  // 404 route_not_found, which names no API and so records no event for this one.
  const seen: number[] = [];
  await expect.poll(async () => (seen.push(await call("/pets")), seen.at(-1)), { timeout: 30_000, intervals: [250] }).toBe(200);
  expect(seen.filter((s) => s !== 404 && s !== 200)).toEqual([]);
  for (let i = 1; i < OK_CALLS; i++) expect(await call(`/pets/${i}`)).toBe(200);
  for (let i = 0; i < FAILED_CALLS; i++) expect(await call("/pets/boom")).toBe(500);
  for (let i = 0; i < UNAUTHORISED_CALLS; i++) expect(await call("/pets", {})).toBe(401);
});

test.afterAll(async () => {
  backend?.close();
  await closeDb();
});

/** Waits until the gateway has shipped every call (it sends a batch about every second). */
async function waitForEvents(request: import("@playwright/test").APIRequestContext, scope: string, expected = TOTAL) {
  await expect
    .poll(
      async () => {
        const res = await request.get(
          `/api/v1/analytics/summary?scope=${scope}&apiId=${apiId}&from=${new Date(Date.now() - 3_600_000).toISOString()}`,
        );
        return (await res.json()).totals?.requests;
      },
      { timeout: 30_000, intervals: [500] },
    )
    .toBe(expected);
}

test("the admin dashboard shows the traffic sent through the built-in gateway", async ({ asAdmin: { page } }) => {
  await waitForEvents(page.request, "all");
  await page.goto("/admin/analytics");
  await page.getByRole("button", { name: "Last hour", exact: true }).click();
  const topApis = page.getByRole("table", { name: "Top APIs" });
  const row = topApis.getByRole("row").filter({ hasText: apiName });
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell").nth(1)).toHaveText(String(TOTAL));
  await expect(
    page.getByRole("table", { name: "Top applications" }).getByRole("row").filter({ hasText: appName }).getByRole("cell").nth(1),
  ).toHaveText(String(OK_CALLS + FAILED_CALLS));
  await expect(page.getByRole("table", { name: "By environment" }).getByRole("row").filter({ hasText: "Default" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Requests per minute/ })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("admin-analytics.png"), fullPage: true });

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const csv = await (await download).createReadStream();
  let text = "";
  for await (const chunk of csv) text += chunk;
  expect(text.split("\r\n")[0]).toContain("dimension,key,label,time,requests");
  expect(text).toContain(`apiId,${apiId},${apiName} v1,,${TOTAL},`);
});

test("the publisher dashboard shows the traffic of the publisher's API only", async ({ page }) => {
  await signInRequest(page.request, publisher.email, publisher.password);
  await waitForEvents(page.request, "publisher");
  await page.goto("/publisher/analytics");
  await expect(page.getByRole("group", { name: "Requests" }).getByRole("definition").first()).toHaveText(String(TOTAL));
  const rows = page.getByRole("table", { name: "Top APIs" }).getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: apiName }).getByRole("cell").nth(1)).toHaveText(String(TOTAL));
  await expect(page.getByRole("table", { name: "Top operations" })).toContainText("GET /pets/{id}");
  await expect(page.getByRole("group", { name: "401 · 403 · 429" }).getByRole("definition").first()).toHaveText(
    `${UNAUTHORISED_CALLS} · 0 · 0`,
  );
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: test.info().outputPath("publisher-analytics-dark.png"), fullPage: true });
});

test("the developer dashboard shows the calls of the consumer's application", async ({ page }) => {
  await signInRequest(page.request, consumer.email, consumer.password);
  await waitForEvents(page.request, "consumer", OK_CALLS + FAILED_CALLS);
  await page.goto("/analytics");
  const rows = page.getByRole("table", { name: "Top applications" }).getByRole("row");
  await expect(rows.filter({ hasText: appName }).getByRole("cell").nth(1)).toHaveText(String(OK_CALLS + FAILED_CALLS));
  await expect(rows).toHaveCount(2);
});

test("a publisher without traffic is told what to do next", async ({ asPublisher: { page } }) => {
  await page.goto("/publisher/analytics");
  await expect(page.getByRole("heading", { name: "No traffic to your APIs yet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to your APIs" })).toHaveAttribute("href", "/publisher/apis");
  await page.screenshot({ path: test.info().outputPath("publisher-analytics-empty.png"), fullPage: true });
});
