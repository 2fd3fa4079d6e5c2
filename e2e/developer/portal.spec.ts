import { closeDb } from "@/lib/db/client";
import { expect, PASSWORD, SAME_ORIGIN, seedUser, signInRequest, signInUi, test, unique } from "../fixtures";
import { GREETING, seedDeployedApi, startBackend, type SeededApi } from "./support";

const gatewayUrl = process.env.E2E_GATEWAY_URL!;

let backend: Awaited<ReturnType<typeof startBackend>>;
let tokenApi: SeededApi;
let keyApi: SeededApi;

test.beforeAll(async () => {
  backend = await startBackend();
  const publisher = await seedUser(["publisher"], "dev-publisher");
  tokenApi = await seedDeployedApi(publisher.ctx, backend.url, { label: "Greetings", scheme: "oauth2" });
  keyApi = await seedDeployedApi(publisher.ctx, backend.url, { label: "Keyed", scheme: "apiKey" });
});

test.afterAll(async () => {
  await backend?.close();
  await closeDb();
});

test("a new user signs up, reads the reference, subscribes, generates a token and calls the API through the gateway", async ({ page }) => {
  test.setTimeout(120_000);
  const email = `${unique("consumer")}@e2e.test`;

  await page.goto("/signup");
  await page.getByLabel("Name").fill("New Consumer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("button", { name: new RegExp(email.slice(0, 12)) })).toBeVisible();

  // Browse: search the catalog and open the API.
  await expect(page.getByRole("heading", { name: "API catalog" })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search APIs" }).fill(tokenApi.name);
  await page.getByRole("searchbox", { name: "Search APIs" }).press("Enter");
  await page.getByRole("link", { name: tokenApi.name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: tokenApi.name })).toBeVisible();
  await expect(page.getByTestId("gateway-url")).toHaveText(`${gatewayUrl}${tokenApi.context}/v1`);
  await expect(page.getByText("5,000 requests per minute").first()).toBeVisible();

  // Read the reference.
  await page.getByRole("link", { name: "Reference", exact: true }).click();
  const reference = page.getByTestId("api-reference");
  await expect(reference.getByText("Say hello").first()).toBeVisible({ timeout: 30_000 });
  await expect(reference.getByText("Greet someone").first()).toBeVisible();

  // Create an application from the API page, and come back to subscribe.
  await page.getByRole("link", { name: "Overview", exact: true }).click();
  await page.getByRole("link", { name: "Create an application" }).click();
  await page.getByLabel("Name").fill("Mobile app");
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page).toHaveURL(new RegExp(`/apis/${tokenApi.id}$`));

  // Subscribe on Gold; two quick clicks make one subscription.
  await expect(page.getByRole("radio", { name: /Gold/ })).toBeChecked();
  await page.getByRole("button", { name: "Subscribe", exact: true }).dblclick();
  const mySubscriptions = page.getByRole("list", { name: "Your subscriptions to this API" });
  await expect(mySubscriptions.getByRole("listitem")).toHaveCount(1);
  await expect(mySubscriptions.getByText("Active")).toBeVisible();

  // Credentials and a token, generated in the UI.
  await mySubscriptions.getByRole("link", { name: "Mobile app" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mobile app" })).toBeVisible();
  const production = page.getByTestId("credentials-production");
  await production.getByRole("button", { name: "Generate production keys" }).click();
  await expect(production.getByTestId("client-secret-production")).not.toBeEmpty();
  await expect(production.getByText(`${process.env.E2E_BASE_URL}/oauth2/token`)).toBeVisible();
  await production.getByRole("button", { name: "Generate access token" }).click();
  await expect(production.getByTestId("access-token-production")).toHaveText(/^eyJ/);
  await expect(production.getByRole("button", { name: "Copy" }).first()).toBeVisible();
  await expect(production.getByTestId("token-curl-production")).toContainText(`${gatewayUrl}${tokenApi.context}/v1/hello`);
  await expect(production.getByTestId("token-curl-production")).toContainText("Authorization: Bearer eyJ");

  // Try it: a token for the application, and a real call through the built-in gateway.
  await page.getByRole("link", { name: tokenApi.name }).click();
  await page.getByRole("link", { name: "Try it", exact: true }).click();
  await expect(page.getByLabel("Operation")).toHaveValue("0");
  await expect(page.getByRole("radio", { name: "Access token" })).toBeChecked();
  await page.getByRole("button", { name: "Get a token" }).click();
  await expect(page.getByRole("textbox", { name: "Access token" })).toHaveValue(/^eyJ/);
  await expect(async () => {
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.getByTestId("try-status")).toHaveText(/^200/, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("try-body")).toContainText(GREETING);
  await expect(page.getByTestId("try-curl")).toContainText(
    `curl '${gatewayUrl}${tokenApi.context}/v1/hello' -H 'Authorization: Bearer eyJ`,
  );
});

test("a subscriber calls an API-key API with try-it, then revokes the key and the gateway refuses it", async ({ page }) => {
  test.setTimeout(120_000);
  const user = await seedUser(["subscriber"], "key-consumer");
  await signInUi(page, user.email, user.password);

  await page.getByRole("link", { name: "Applications", exact: true }).click();
  await page.getByLabel("Name").fill("Key app");
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Key app" })).toBeVisible();
  const appUrl = page.url();

  await page.goto(`/apis/${keyApi.id}`);
  await page.getByRole("button", { name: "Subscribe", exact: true }).click();
  await expect(page.getByRole("list", { name: "Your subscriptions to this API" }).getByText("Active")).toBeVisible();

  await page.goto(appUrl);
  await page.getByLabel("Key name").fill("try-it");
  await page.getByRole("button", { name: "Create API key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(key).toMatch(/^mrd_/);
  await expect(page.getByText("it will not be shown again")).toBeVisible();

  await page.goto(`/apis/${keyApi.id}/try`);
  await expect(page.getByRole("radio", { name: "API key" })).toBeChecked();
  await page.getByRole("textbox", { name: "API key" }).fill(key);
  await page.getByLabel("Operation").selectOption({ label: "GET /hello/{name} — Greet someone" });
  await page.getByLabel("Path parameter name").fill("ada");
  await expect(async () => {
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.getByTestId("try-status")).toHaveText(/^200/, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("try-body")).toContainText('"path": "/hello/ada"');

  // Revoke: the gateway refuses the key within seconds.
  await page.goto(appUrl);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Revoke try-it" }).click();
  await expect(page.getByText("Revoked", { exact: true })).toBeVisible();
  const revokedAt = Date.now();
  await expect
    .poll(async () => (await page.request.get(`${gatewayUrl}${keyApi.context}/v1/hello`, { headers: { apikey: key } })).status(), {
      timeout: 10_000,
      intervals: [200],
    })
    .toBe(401);
  expect(Date.now() - revokedAt).toBeLessThan(5_000);
});

test("anonymous visitors browse the catalog and read the reference, and are asked to sign in to subscribe", async ({ page }) => {
  await page.goto(`/?q=${encodeURIComponent(tokenApi.name)}`);
  await expect(page.getByRole("link", { name: tokenApi.name, exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Show APIs tagged greetings" }).first().click();
  await expect(page).toHaveURL(/tag=greetings/);
  await page.goto(`/apis/${tokenApi.id}`);
  await expect(page.getByText("to subscribe.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Download OpenAPI" })).toHaveAttribute("href", `/api/v1/catalog/${tokenApi.id}/definition`);
  const definition = await (await page.request.get(`/api/v1/catalog/${tokenApi.id}/definition`)).json();
  expect(definition.servers).toEqual([{ url: `${gatewayUrl}${tokenApi.context}/v1`, description: "Default (local)" }]);
  expect(JSON.stringify(definition)).not.toContain(backend.url);
  await page.goto(`/apis/${tokenApi.id}/try`);
  await expect(page.getByText("To get a token here")).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: "Access token" })).toBeVisible();
  // An API the visitor may not see, or none at all, is a real 404 page.
  const missing = await page.goto("/apis/api_does_not_exist");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("the REST API: anonymous catalog, applications, keys and subscriptions with clear refusals", async ({ request }) => {
  const catalog = await request.get(`/api/v1/catalog?q=${encodeURIComponent(tokenApi.name)}`);
  expect(catalog.status()).toBe(200);
  expect((await catalog.json()).items.map((a: { id: string }) => a.id)).toContain(tokenApi.id);
  const detail = await (await request.get(`/api/v1/catalog/${tokenApi.id}`)).json();
  expect(detail).toMatchObject({
    id: tokenApi.id,
    subscribable: true,
    tiers: [{ name: "Gold" }],
    gateways: [{ environment: "default", urls: [`${gatewayUrl}${tokenApi.context}/v1`] }],
  });
  expect((await request.post("/api/v1/applications", { data: { name: "x" } })).status()).toBe(401);

  const owner = await seedUser(["subscriber"], "rest-owner");
  const other = await seedUser(["subscriber"], "rest-other");
  await signInRequest(request, owner.email, owner.password);
  const app = await (await request.post("/api/v1/applications", { data: { name: "REST app" }, headers: SAME_ORIGIN })).json();
  const keys = await request.post(`/api/v1/applications/${app.id}/keys`, { data: { keyType: "sandbox" }, headers: SAME_ORIGIN });
  expect(keys.status()).toBe(201);
  expect(await keys.json()).toMatchObject({
    keyType: "sandbox",
    clientId: expect.stringMatching(/^mcl_/),
    clientSecret: expect.any(String),
  });
  const apiKey = await request.post(`/api/v1/applications/${app.id}/api-keys`, { data: { name: "ci" }, headers: SAME_ORIGIN });
  expect(apiKey.status()).toBe(201);
  const { id: keyId, key } = await apiKey.json();
  expect(key).toMatch(/^mrd_/);
  expect(JSON.stringify(await (await request.get(`/api/v1/applications/${app.id}/api-keys`)).json())).not.toContain(key);

  const badTier = await request.post("/api/v1/subscriptions", {
    data: { applicationId: app.id, apiId: tokenApi.id, tier: "Bronze" },
    headers: SAME_ORIGIN,
  });
  expect(badTier.status()).toBe(400);
  expect(badTier.headers()["content-type"]).toContain("application/problem+json");
  expect((await badTier.json()).detail).toMatch(/does not offer the Bronze tier/);
  const first = await request.post("/api/v1/subscriptions", {
    data: { applicationId: app.id, apiId: tokenApi.id, tier: "Gold" },
    headers: SAME_ORIGIN,
  });
  const again = await request.post("/api/v1/subscriptions", {
    data: { applicationId: app.id, apiId: tokenApi.id, tier: "Gold" },
    headers: SAME_ORIGIN,
  });
  expect([first.status(), again.status()]).toEqual([201, 200]);
  expect((await again.json()).id).toBe((await first.json()).id);
  const mine = await (await request.get(`/api/v1/subscriptions?applicationId=${app.id}`)).json();
  expect(mine.items).toEqual([expect.objectContaining({ apiId: tokenApi.id, apiName: tokenApi.name, status: "active", tier: "Gold" })]);
  expect((await request.delete(`/api/v1/applications/${app.id}/api-keys/${keyId}`, { headers: SAME_ORIGIN })).status()).toBe(204);

  await signInRequest(request, other.email, other.password);
  const stolen = await request.post("/api/v1/subscriptions", {
    data: { applicationId: app.id, apiId: keyApi.id, tier: "Gold" },
    headers: SAME_ORIGIN,
  });
  expect(stolen.status()).toBe(403);
  expect((await stolen.json()).detail).toBe("You can subscribe only with your own applications.");
  expect((await request.get(`/api/v1/applications/${app.id}`)).status()).toBe(404);
  expect((await request.delete(`/api/v1/subscriptions/${(await first.json()).id}`, { headers: SAME_ORIGIN })).status()).toBe(404);

  const spec = await (await request.get("/api/v1/openapi.json")).json();
  for (const path of [
    "/api/v1/catalog",
    "/api/v1/catalog/{apiId}",
    "/api/v1/applications/{id}/keys",
    "/api/v1/applications/{id}/api-keys",
    "/api/v1/subscriptions",
    "/api/v1/subscriptions/{id}/approve",
  ])
    expect(spec.paths[path]).toBeDefined();
});
