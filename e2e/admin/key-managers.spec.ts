import { closeDb } from "@/lib/db/client";
import { createApplication } from "@/lib/services/applications/create-application";
import { setApiKeyManagers } from "@/lib/services/key-managers/api-key-managers";
import { listKeyManagers } from "@/lib/services/key-managers/get-key-manager";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { GREETING, seedDeployedApi, startBackend } from "../developer/support";
import { expect, seedCtx, seedUser, signInUi, test, unique } from "../fixtures";

/**
 * An external key manager end to end: the admin registers a real OpenID provider (oidc-provider,
 * started by the Playwright config), a consumer gets credentials from it for an application, and
 * Try it calls an API that accepts the provider through the built-in gateway with its token.
 */

const issuer = process.env.E2E_OIDC_URL!;
let backend: Awaited<ReturnType<typeof startBackend>>;

test.beforeAll(async () => {
  backend = await startBackend();
});

test.afterAll(async () => {
  await backend?.close();
  await closeDb();
});

test("the admin registers an OpenID provider, a consumer gets credentials from it and Try it calls the API with its token", async ({
  asAdmin,
  browser,
}) => {
  test.setTimeout(120_000);
  const { page } = asAdmin;
  const name = unique("idp").toLowerCase();
  const displayName = `Corporate IdP ${name.slice(-6)}`;

  // The admin registers the provider by its issuer; a wrong issuer is refused with the reason.
  await page.goto("/admin/key-managers");
  await expect(page.getByRole("heading", { name: "Key managers", level: 1 })).toBeVisible();
  const form = page.getByRole("form", { name: "Register an OpenID provider" });
  await form.getByLabel("Issuer URL").fill(issuer.replace("127.0.0.1", "localhost"));
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Display name").fill(displayName);
  await form.getByLabel("Accepted audiences").fill("https://api.e2e.test");
  await form.getByLabel("Registration access token (optional)").fill("e2e-initial-access-token");
  await form.getByRole("button", { name: "Register" }).click();
  await expect(form.getByText(/inconsistent/)).toBeVisible();
  await form.getByLabel("Issuer URL").fill(issuer);
  await form.getByRole("button", { name: "Register" }).click();
  const table = page.getByRole("table", { name: "Key managers" });
  await expect(table.getByRole("row", { name: new RegExp(displayName) })).toContainText(issuer);
  await table.getByRole("button", { name: `Test ${displayName}` }).click();
  await expect(page.getByText(/the endpoints match/).first()).toBeVisible();

  // A publisher's API accepts the provider's tokens; a consumer subscribes an application.
  const km = (await listKeyManagers({ pageSize: 100 }, seedCtx)).items.find((k) => k.name === name)!;
  const publisher = await seedUser(["publisher"], "km-publisher");
  const api = await seedDeployedApi(publisher.ctx, backend.url, { label: "Federated", scheme: "oauth2" });
  await setApiKeyManagers(api.id, { keyManagerIds: [km.id] }, publisher.ctx);
  const consumer = await seedUser(["subscriber"], "km-consumer");
  const app = await createApplication({ name: unique("Federated app") }, consumer.ctx);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, consumer.ctx);

  const consumerPage = await (await browser.newContext()).newPage();
  await signInUi(consumerPage, consumer.email, consumer.password);

  // The API page says who issues its tokens.
  await consumerPage.goto(`/apis/${api.id}`);
  await expect(consumerPage.getByTestId("token-issuers")).toContainText(displayName);
  await expect(consumerPage.getByTestId("token-issuers")).toContainText(`${issuer}/token`);

  // Credentials registered at the provider, the secret shown once.
  await consumerPage.goto(`/applications/${app.id}`);
  const credentials = consumerPage.getByRole("form", { name: "Get credentials from a key manager" });
  await credentials.getByLabel("Key manager").selectOption({ label: displayName });
  await credentials.getByRole("button", { name: "Get credentials" }).click();
  await expect(consumerPage.getByTestId("external-client-secret")).not.toBeEmpty();
  await expect(consumerPage.getByRole("table", { name: "External clients" })).toContainText(`${issuer}/token`);

  // Try it: a token from the provider, and a call through the built-in gateway.
  await consumerPage.goto(`/apis/${api.id}/try`);
  await consumerPage.getByLabel("Application").selectOption({ label: app.name });
  await expect(consumerPage.getByLabel("Key manager")).toHaveValue(/^kmc_/);
  await consumerPage.getByRole("button", { name: "Get a token" }).click();
  const token = consumerPage.getByRole("textbox", { name: "Access token" });
  await expect(token).toHaveValue(/^eyJ/);
  const claims = JSON.parse(Buffer.from((await token.inputValue()).split(".")[1], "base64url").toString());
  expect(claims.iss).toBe(issuer);
  await expect(async () => {
    await consumerPage.getByRole("button", { name: "Send request" }).click();
    await expect(consumerPage.getByTestId("try-status")).toHaveText(/^200/, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(consumerPage.getByTestId("try-body")).toContainText(GREETING);
});
