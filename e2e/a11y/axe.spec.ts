import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { closeDb } from "@/lib/db/client";
import { expect, signInRequest, test } from "../fixtures";
import { seedShowcase, type Showcase } from "../showcase";

/**
 * No serious or critical axe violation on the main pages of the three portals, in the light
 * and the dark theme (the theme follows the system's colour scheme until the user picks one).
 */
let showcase: Showcase;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  showcase = await seedShowcase("a11y");
});

test.afterAll(async () => {
  await closeDb();
});

const THEMES = ["light", "dark"] as const;

/** One load per page: the theme follows the system's scheme live, so both themes are checked on it. */
async function violationsOn(page: Page, path: string): Promise<string[]> {
  await page.emulateMedia({ colorScheme: THEMES[0] });
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("status", { name: "Loading analytics" })).toHaveCount(0);
  const found: string[] = [];
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
    const result = await new AxeBuilder({ page }).analyze();
    for (const v of result.violations) {
      if (v.impact !== "serious" && v.impact !== "critical") continue;
      found.push(
        `${path} (${theme}) ${v.id} [${v.impact}] ${v.help}: ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(" "))
          .join(" | ")}${v.nodes.length > 5 ? ` … ${v.nodes.length} in all` : ""}`,
      );
    }
  }
  return found;
}

async function expectNoViolations(page: Page, paths: string[]) {
  const found: string[] = [];
  for (const path of paths) found.push(...(await violationsOn(page, path)));
  expect(found, found.join("\n")).toEqual([]);
}

test("the sign-in and sign-up pages", async ({ page }) => {
  await expectNoViolations(page, ["/signin", "/signup"]);
});

test("the developer portal", async ({ page }) => {
  test.setTimeout(300_000);
  await signInRequest(page.request, showcase.user.email, showcase.user.password);
  await expectNoViolations(page, [
    "/",
    `/apis/${showcase.api.id}`,
    "/applications",
    `/applications/${showcase.applicationId}`,
    "/subscriptions",
    "/analytics",
    "/account/tokens",
  ]);
});

test("the publisher portal", async ({ page }) => {
  test.setTimeout(300_000);
  await signInRequest(page.request, showcase.user.email, showcase.user.password);
  const api = `/publisher/apis/${showcase.api.id}`;
  await expectNoViolations(page, [
    "/publisher",
    "/publisher/apis",
    "/publisher/apis/new",
    api,
    `${api}/operations`,
    `${api}/deployments`,
    `${api}/revisions`,
    `${api}/lifecycle`,
    "/publisher/subscriptions",
    "/publisher/analytics",
  ]);
});

test("the admin portal", async ({ page }) => {
  test.setTimeout(300_000);
  await signInRequest(page.request, showcase.user.email, showcase.user.password);
  await expectNoViolations(page, [
    "/admin",
    "/admin/users",
    "/admin/environments",
    "/admin/environments/default",
    "/admin/tiers",
    "/admin/subscriptions",
    "/admin/analytics",
    "/admin/audit",
    "/admin/settings",
  ]);
});

test("the theme toggle names the action it takes, also after a reload in the dark theme", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  await page.getByRole("button", { name: "Switch to dark theme" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByRole("button", { name: "Switch to light theme" })).toBeVisible();
  await page.getByRole("button", { name: "Switch to light theme" }).click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await expect(page.getByRole("button", { name: "Switch to dark theme" })).toBeVisible();
});
