import { randomBytes } from "node:crypto";
import { createTier } from "@/lib/services/tiers/create-tier";
import { insertApiAllowingTiers } from "@/tests/stand-ins";
import { expect, SAME_ORIGIN, seedCtx, test } from "../fixtures";

const tierName = (label: string) => `${label}${randomBytes(3).toString("hex")}`;

test.describe("tiers and policies", () => {
  test("the default tiers are there, and an admin adds, edits and deletes a tier", async ({ asAdmin: { page } }) => {
    page.on("dialog", (d) => d.accept());
    await page.goto("/admin/tiers");
    await expect(page.getByTestId("tier-row-Bronze")).toContainText("1,000 requests per minute");
    await expect(page.getByTestId("tier-row-Silver")).toContainText("2,000 requests per minute");
    await expect(page.getByTestId("tier-row-Gold")).toContainText("5,000 requests per minute");
    await expect(page.getByTestId("tier-row-Unlimited")).toContainText("Unlimited");

    const name = tierName("Platinum");
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Add subscription tier" }).click();
    await expect(page.locator("#tier-requests-error")).toContainText("how many requests");

    await page.getByLabel("Requests").fill("100");
    await page.getByLabel("Per").selectOption("second");
    await page.getByLabel("Burst (optional)").fill("20");
    await page.getByRole("button", { name: "Add subscription tier" }).click();
    const row = page.getByTestId(`tier-row-${name}`);
    await expect(row).toContainText("100 requests per second, burst 20");

    await row.getByRole("link", { name: `Edit ${name}` }).click();
    await expect(page.getByRole("heading", { name: `Edit ${name}` })).toBeVisible();
    await page.getByLabel("Requests").fill("250");
    await page.getByLabel("Monthly quota (optional)").fill("1000000");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(/\/admin\/tiers\?kind=subscription$/);
    await expect(page.getByTestId(`tier-row-${name}`)).toContainText("250 requests per second, burst 20, 1,000,000 per month");

    await page
      .getByTestId(`tier-row-${name}`)
      .getByRole("button", { name: `Delete ${name}` })
      .click();
    await expect(page.getByTestId(`tier-row-${name}`)).toHaveCount(0);
    expect((await page.request.get(`/api/v1/tiers/${name}`)).status()).toBe(404);
  });

  test("application and API policies are managed beside the tiers", async ({ asAdmin: { page } }) => {
    const name = tierName("PerApp");
    await page.goto("/admin/tiers");
    await page.getByRole("link", { name: "Application policies" }).click();
    await expect(page).toHaveURL(/kind=application/);
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Requests").fill("50");
    await page.getByLabel("Per").selectOption("hour");
    await page.getByRole("button", { name: "Add application policy" }).click();
    await expect(page.getByTestId(`tier-row-${name}`)).toContainText("50 requests per hour");
    const api = await (await page.request.get(`/api/v1/tiers?kind=application`)).json();
    expect(api.items.map((t: { name: string }) => t.name)).toContain(name);
    const subscription = await (await page.request.get(`/api/v1/tiers`)).json();
    expect(subscription.items.map((t: { name: string }) => t.name)).not.toContain(name);
  });

  test("a tier that an API allows cannot be deleted, and the refusal names the API", async ({ asAdmin: { page } }) => {
    const name = tierName("Partner");
    await createTier({ name, requests: 10, unit: "second" }, seedCtx);
    const apiId = `api_e2e_${randomBytes(4).toString("hex")}`;
    const cleanUp = await insertApiAllowingTiers(apiId, `Payments ${name}`, [name]);
    try {
      page.on("dialog", (d) => d.accept());
      await page.goto("/admin/tiers");
      await page
        .getByTestId(`tier-row-${name}`)
        .getByRole("button", { name: `Delete ${name}` })
        .click();
      await expect(page.getByRole("alert").filter({ hasText: "is in use by" })).toContainText(`API Payments ${name} 1.0.0`);
      await page.reload();
      await expect(page.getByTestId(`tier-row-${name}`)).toBeVisible();

      const res = await page.request.delete(`/api/v1/tiers/${name}`, { headers: SAME_ORIGIN });
      expect(res.status()).toBe(409);
      const problem = await res.json();
      expect(problem.code).toBe("conflict");
      expect(problem.usages).toEqual([{ type: "api", id: apiId, label: `Payments ${name} 1.0.0` }]);
    } finally {
      await cleanUp();
    }
  });
});
