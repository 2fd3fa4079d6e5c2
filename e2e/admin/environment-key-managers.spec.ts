import { startOidcProvider, type RunningOidcProvider } from "@/e2e/oidc-provider/provider";
import { closeDb } from "@/lib/db/client";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { createKeyManager } from "@/lib/services/key-managers/create-key-manager";
import { getEnvironmentKeyManagers } from "@/lib/services/key-managers/environment-key-managers";
import { expect, seedCtx, test, unique } from "../fixtures";

/** The admin restricts the key managers an environment's gateways trust, and lifts it again. */

let idp: RunningOidcProvider;
let privateBefore: string | undefined;

test.beforeAll(async () => {
  privateBefore = process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
  process.env.MERIDIAN_ALLOW_PRIVATE_URLS = "true";
  idp = await startOidcProvider();
});

test.afterAll(async () => {
  if (privateBefore === undefined) delete process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
  else process.env.MERIDIAN_ALLOW_PRIVATE_URLS = privateBefore;
  await idp?.close();
  await closeDb();
});

test("the admin restricts an environment to chosen key managers; the choice survives a reload", async ({ asAdmin }) => {
  const { page } = asAdmin;
  const name = unique("kmenv").toLowerCase();
  const displayName = `Trusted IdP ${name.slice(-6)}`;
  const km = await createKeyManager({ name: `${name}-idp`, displayName, issuer: idp.issuer, audiences: [idp.audience] }, seedCtx);
  await createEnvironment({ name, type: "builtin", publicUrls: ["http://localhost:8280"] }, seedCtx);

  await page.goto(`/admin/environments/${name}`);
  const form = page.getByRole("form", { name: "Trusted key managers" });
  const any = form.getByRole("radio", { name: /Every key manager its APIs accept/ });
  const only = form.getByRole("radio", { name: /Only the key managers ticked below/ });
  const choices = form.getByRole("list", { name: "Trusted key managers" });
  const partner = choices.getByRole("checkbox", { name: new RegExp(displayName) });
  await expect(any).toBeChecked();
  await expect(partner).toBeDisabled();

  // "Only" with nothing ticked is refused before anything is sent.
  await only.check();
  await form.getByRole("button", { name: "Save trusted key managers" }).click();
  await expect(form.getByRole("alert")).toContainText("Tick at least one key manager");

  await partner.focus();
  await page.keyboard.press("Space");
  await form.getByRole("button", { name: "Save trusted key managers" }).press("Enter");
  await expect(page.getByText("Trusted key managers saved")).toBeVisible();
  await page.reload();
  await expect(only).toBeChecked();
  await expect(partner).toBeChecked();
  await expect(choices.getByRole("checkbox", { name: /Meridian/ })).not.toBeChecked();
  expect(await getEnvironmentKeyManagers(name, seedCtx)).toMatchObject({ restricted: true, items: [{ id: km.id }] });

  // Lifting the restriction stores none.
  await any.check();
  await form.getByRole("button", { name: "Save trusted key managers" }).click();
  await expect(page.getByText("Trusted key managers saved")).toBeVisible();
  await page.reload();
  await expect(any).toBeChecked();
  expect(await getEnvironmentKeyManagers(name, seedCtx)).toMatchObject({ restricted: false, items: [] });
});
