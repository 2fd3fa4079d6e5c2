import type { Page } from "@playwright/test";
import { closeDb } from "@/lib/db/client";
import { ADMIN_NAV, DEVELOPER_NAV, PUBLISHER_NAV } from "@/components/shared/nav";
import { expect, signInRequest, test } from "../fixtures";
import { seedShowcase, type Showcase } from "../showcase";

/** A phone-sized window (390 px): every section is reachable and no page scrolls sideways. */
let showcase: Showcase;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  showcase = await seedShowcase("mobile");
});

test.afterAll(async () => {
  await closeDb();
});

async function expectNoSidewaysScroll(page: Page) {
  await page.waitForLoadState("networkidle");
  const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // The outermost elements that reach past the screen's right edge, to name the culprit.
    const wide = [...document.querySelectorAll("body *")]
      .filter(
        (el) =>
          el.getBoundingClientRect().right > width + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1),
      )
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 4).join(".")}`);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, wide };
  });
  expect(scrollWidth, `${page.url()} is ${scrollWidth - clientWidth} px wider than the screen: ${wide.join(", ")}`).toBeLessThanOrEqual(
    clientWidth,
  );
}

/** Opens the menu and follows each section's link, as a person with a phone would. */
async function visitEverySection(page: Page, start: string, label: string, items: Array<{ href: string; label: string }>) {
  await page.goto(start);
  for (const item of items) {
    await page.getByRole("button", { name: "Menu" }).click();
    const nav = page.getByRole("navigation", { name: label });
    await expect(nav).toBeVisible();
    await nav.getByRole("link", { name: item.label, exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === item.href);
    await expect(page.getByRole("navigation", { name: label })).toBeHidden();
    await expect(page.locator("main h1").first()).toBeVisible();
    await expectNoSidewaysScroll(page);
  }
}

test("the developer portal's sections are reachable from the menu, none wider than the screen", async ({ page }) => {
  test.setTimeout(90_000);
  await signInRequest(page.request, showcase.user.email, showcase.user.password);
  // The side navigation is not shown on a phone: the menu stands in for it.
  await page.goto("/");
  await expect(page.getByRole("navigation", { name: "Developer portal" })).toBeHidden();
  await visitEverySection(page, "/", "Developer portal", DEVELOPER_NAV);
  for (const path of [`/apis/${showcase.api.id}`, `/applications/${showcase.applicationId}`]) {
    await page.goto(path);
    await expectNoSidewaysScroll(page);
  }
});

test("the publisher portal's sections are reachable from the menu, none wider than the screen", async ({ page }) => {
  test.setTimeout(90_000);
  await signInRequest(page.request, showcase.user.email, showcase.user.password);
  await visitEverySection(page, "/publisher", "Publisher", PUBLISHER_NAV);
  const api = `/publisher/apis/${showcase.api.id}`;
  for (const path of ["/publisher/apis/new", api, `${api}/deployments`, `${api}/operations`]) {
    await page.goto(path);
    await expectNoSidewaysScroll(page);
  }
});

test("the admin portal's sections are reachable from the menu, none wider than the screen", async ({ page }) => {
  test.setTimeout(90_000);
  await signInRequest(page.request, showcase.user.email, showcase.user.password);
  await visitEverySection(page, "/admin", "Admin", ADMIN_NAV);
  await page.goto("/admin/environments/default");
  await expectNoSidewaysScroll(page);
});

test("the menu leads to the other portals and closes with Escape", async ({ page }) => {
  await signInRequest(page.request, showcase.user.email, showcase.user.password);
  await page.goto("/");
  const menu = page.getByRole("button", { name: "Menu" });
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("navigation", { name: "Developer portal" })).toBeHidden();
  await menu.click();
  await page.getByRole("navigation", { name: "Portals" }).getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin$/);
});

test("the publisher's API list fits the screen with name, version and state", async ({ page }) => {
  await signInRequest(page.request, showcase.user.email, showcase.user.password);
  await page.goto(`/publisher/apis?q=${encodeURIComponent(showcase.api.name)}`);
  const row = page.getByTestId(`api-row-${showcase.api.id}`);
  await expect(row.getByRole("link", { name: showcase.api.name })).toBeVisible();
  await expect(row.getByText("PUBLISHED", { exact: false }).first()).toBeInViewport();
  const table = page.getByRole("table");
  const fits = await table.evaluate((t) => t.scrollWidth <= (t.parentElement?.clientWidth ?? 0) + 1);
  expect(fits, "the table is wider than its box").toBe(true);
  await expectNoSidewaysScroll(page);
});

test("the catalog's search box is usable beside the environment filter", async ({ page }) => {
  await page.goto("/");
  const search = page.getByRole("searchbox", { name: "Search APIs" });
  const box = await search.boundingBox();
  expect(box!.width, "the search box is wide enough to type in").toBeGreaterThan(250);
  const environment = page.getByRole("combobox", { name: "Gateway environment" });
  await expect(environment).toBeInViewport();
  await search.fill(showcase.api.name);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByRole("link", { name: new RegExp(showcase.api.name) }).first()).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test("gateway URLs wrap at their slashes within the screen", async ({ page }) => {
  await page.goto(`/apis/${showcase.api.id}`);
  const url = page.getByTestId("gateway-url").first();
  await expect(url).toHaveText(new RegExp(`${showcase.api.context}/v1$`));
  const box = await url.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  // Lines break only between the pieces a URL is cut into (before a slash, a dot, a query
  // mark): each piece sits on one line, none is split mid-word.
  const pieces = await url.evaluate((el) =>
    [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => {
        const range = document.createRange();
        range.selectNodeContents(n);
        return { text: n.textContent ?? "", lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
      }),
  );
  expect(pieces.length, "the URL is cut into pieces a line may break between").toBeGreaterThan(2);
  expect(pieces.filter((p) => p.lines > 1)).toEqual([]);
  await expectNoSidewaysScroll(page);
});
