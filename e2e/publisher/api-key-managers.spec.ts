import { startOidcProvider, type RunningOidcProvider } from "@/e2e/oidc-provider/provider";
import { closeDb } from "@/lib/db/client";
import { createKeyManager } from "@/lib/services/key-managers/create-key-manager";
import { deleteKeyManager } from "@/lib/services/key-managers/delete-key-manager";
import { seedDeployedApi, startBackend } from "../developer/support";
import { expect, seedCtx, seedUser, signInUi, test, unique } from "../fixtures";

/**
 * The publisher chooses the key managers an API accepts on its settings page, with the keyboard;
 * the choice survives a reload and the developer portal names the chosen provider. Providers are
 * real (oidc-provider) and of this file alone, registered through the service.
 */

let backend: Awaited<ReturnType<typeof startBackend>>;
let idp: RunningOidcProvider;
let doomed: RunningOidcProvider;
let privateBefore: string | undefined;

test.beforeAll(async () => {
  // The seeding below reads the providers' discovery documents on 127.0.0.1 from this process.
  privateBefore = process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
  process.env.MERIDIAN_ALLOW_PRIVATE_URLS = "true";
  backend = await startBackend();
  idp = await startOidcProvider();
  doomed = await startOidcProvider();
});

test.afterAll(async () => {
  if (privateBefore === undefined) delete process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
  else process.env.MERIDIAN_ALLOW_PRIVATE_URLS = privateBefore;
  await backend?.close();
  await idp?.close();
  await doomed?.close();
  await closeDb();
});

test("the publisher chooses an API's key managers with the keyboard, and the developer portal names them", async ({
  asPublisher,
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = asPublisher;
  const name = unique("kmui").toLowerCase();
  const displayName = `Partner IdP ${name.slice(-6)}`;
  await createKeyManager({ name, displayName, issuer: idp.issuer, audiences: [idp.audience] }, seedCtx);
  const gone = await createKeyManager(
    { name: `${name}-gone`, displayName: `Retired IdP ${name.slice(-6)}`, issuer: doomed.issuer, audiences: [doomed.audience] },
    seedCtx,
  );
  const api = await seedDeployedApi(user.ctx, backend.url, { label: "Issuers", scheme: "oauth2" });

  await page.goto(`/publisher/apis/${api.id}`);
  const form = page.getByRole("form", { name: "Key managers" });
  const choices = form.getByRole("list", { name: "Accepted key managers" });
  const builtin = choices.getByRole("checkbox", { name: /Meridian/ });
  const partner = choices.getByRole("checkbox", { name: new RegExp(displayName) });
  const retired = choices.getByRole("checkbox", { name: new RegExp(`Retired IdP ${name.slice(-6)}`) });
  await expect(builtin).toBeChecked();
  await expect(partner).not.toBeChecked();
  await expect(form.getByRole("button", { name: "Save key managers" })).toBeDisabled();

  // None at all is refused before anything is sent.
  await builtin.focus();
  await page.keyboard.press("Space");
  await expect(builtin).not.toBeChecked();
  await form.getByRole("button", { name: "Save key managers" }).click();
  await expect(form.getByRole("alert")).toContainText("at least one key manager");

  // A provider deleted since the page was loaded: the server's refusal with its problem code.
  await deleteKeyManager(gone.id, seedCtx);
  await retired.focus();
  await page.keyboard.press("Space");
  await form.getByRole("button", { name: "Save key managers" }).press("Enter");
  await expect(form.getByRole("alert")).toContainText("No such key manager");
  await expect(form.getByRole("alert")).toContainText("validation_failed");

  // The partner's provider only, by keyboard: Space ticks, Enter on the button saves.
  await retired.focus();
  await page.keyboard.press("Space");
  await partner.focus();
  await page.keyboard.press("Space");
  await expect(partner).toBeChecked();
  await form.getByRole("button", { name: "Save key managers" }).press("Enter");
  await expect(page.getByText("Key managers saved")).toBeVisible();
  await expect(form.getByRole("alert")).toHaveCount(0);

  await page.reload();
  await expect(partner).toBeChecked();
  await expect(builtin).not.toBeChecked();
  await expect(choices.getByRole("checkbox", { name: /Retired IdP/ })).toHaveCount(0);

  // The developer portal says who issues this API's tokens now.
  const consumer = await seedUser(["subscriber"], "km-ui-consumer");
  const consumerPage = await (await browser.newContext()).newPage();
  await signInUi(consumerPage, consumer.email, consumer.password);
  await consumerPage.goto(`/apis/${api.id}`);
  const issuers = consumerPage.getByTestId("token-issuers");
  await expect(issuers).toContainText(displayName);
  await expect(issuers).toContainText(`${idp.issuer}/token`);
  await expect(issuers).not.toContainText("/oauth2/token");
});
