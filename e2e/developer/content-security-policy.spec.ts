import { closeDb } from "@/lib/db/client";
import { createApplication } from "@/lib/services/applications/create-application";
import { createDocument } from "@/lib/services/apis/create-document";
import { visit, watchCsp } from "../csp";
import { expect, seedUser, test } from "../fixtures";
import { seedDeployedApi, startBackend, type SeededApi } from "./support";

let backend: Awaited<ReturnType<typeof startBackend>>;
let api: SeededApi;

test.beforeAll(async () => {
  backend = await startBackend();
  const publisher = await seedUser(["publisher"], "csp-publisher");
  api = await seedDeployedApi(publisher.ctx, backend.url, { label: "Guarded", scheme: "apiKey" });
  await createDocument(
    api.id,
    {
      title: "Getting started",
      kind: "how-to",
      sourceType: "markdown",
      content: "# Hello\n\nA **guide** with a [link](https://example.com).",
    },
    publisher.ctx,
  );
});

test.afterAll(async () => {
  await backend?.close();
  await closeDb();
});

test("every page has its own nonce, and the developer portal runs without a CSP violation", async ({ asSubscriber: { page, user } }) => {
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  const app = await createApplication({ name: "CSP app" }, user.ctx);

  const first = await visit(page, "/", async (p) => expect(p.getByRole("heading", { name: "API catalog" })).toBeVisible());
  const second = await visit(page, "/", async (p) => expect(p.getByRole("heading", { name: "API catalog" })).toBeVisible());
  expect(second).not.toBe(first);

  await visit(page, `/apis/${api.id}`, async (p) => expect(p.getByRole("heading", { name: api.name })).toBeVisible());
  // Scalar renders the reference in the browser.
  await visit(page, `/apis/${api.id}/reference`, async (p) =>
    expect(p.getByTestId("api-reference").getByText("Say hello").first()).toBeVisible({ timeout: 30_000 }),
  );
  await visit(page, `/apis/${api.id}/documents`, async (p) => expect(p.getByRole("heading", { name: "Hello" })).toBeVisible());
  await visit(page, "/applications", async (p) => expect(p.getByText("CSP app").first()).toBeVisible());
  await visit(page, `/applications/${app.id}`, async (p) => expect(p.getByRole("heading", { level: 1, name: "CSP app" })).toBeVisible());
  await visit(page, "/subscriptions", async (p) => expect(p.locator("main")).toBeVisible());
  await visit(page, "/analytics", async (p) => expect(p.locator("main")).toBeVisible());

  // Try it calls the gateway, another origin, from the browser, also after a client-side navigation.
  await visit(page, `/apis/${api.id}`, async (p) => expect(p.getByRole("heading", { name: api.name })).toBeVisible());
  await page.getByRole("link", { name: "Try it", exact: true }).click();
  await expect(page.getByRole("button", { name: "Send request" })).toBeVisible();
  await page.getByRole("textbox", { name: "API key" }).fill("mrd_not_a_real_key");
  await page.getByLabel("Operation").selectOption({ label: "GET /hello — Say hello" });
  // Whatever the gateway answers (or before it serves the new deployment, its CORS refusal), the
  // call leaves the browser: a connection the policy blocked would be reported below.
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByTestId("try-status").or(page.getByText("The browser could not complete the call"))).toBeVisible({
    timeout: 15_000,
  });

  // A toast (sonner), then the dark theme, which next-themes' inline script applies on load.
  await page.goto("/applications");
  await page.getByLabel("Name").fill("CSP toast app");
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page.getByText("Application CSP toast app created")).toBeVisible();
  await page.getByRole("button", { name: /Switch to (dark|light) theme/ }).click();
  if (!(await page.locator("html.dark").count())) await page.getByRole("button", { name: "Switch to dark theme" }).click();
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await visit(page, `/apis/${api.id}/reference`, async (p) =>
    expect(p.getByTestId("api-reference").getByText("Say hello").first()).toBeVisible({ timeout: 30_000 }),
  );
  await page.waitForLoadState("networkidle");
  expect(csp.violations).toEqual([]);
});

test("markup injected into a page runs no script", async ({ page }) => {
  const csp = await watchCsp(page);
  await page.goto("/signin");
  await page.evaluate(() =>
    document.body.insertAdjacentHTML(
      "beforeend",
      `<img alt="" src="data:," onerror="window.__injected = true"><img alt="" src="/nothing-here.png" onerror="window.__injected = true">`,
    ),
  );
  await expect.poll(() => csp.violations.filter((v) => v.includes("script-src")).length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected === true)).toBe(false);
});
