import { closeDb } from "@/lib/db/client";
import { seedDeployedApi, type SeededApi } from "../developer/support";
import { expect, seedUser, signInRequest, test, type SeededUser } from "../fixtures";
import { sendTraffic } from "../showcase";

/**
 * A new API among busier ones: the top-10 lists would hide it, the filters find it. Traffic for
 * two APIs of one publisher is stored as the default gateway would send it; filtering to the
 * quiet one shows only its figures, in the KPIs, the series and the CSV, and the filter is in
 * the URL so the view can be shared.
 */
const BUSY_CALLS = 40;
const QUIET_CALLS = 3;

let publisher: SeededUser;
let busy: SeededApi;
let quiet: SeededApi;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  publisher = await seedUser(["publisher"], "filters-pub");
  busy = await seedDeployedApi(publisher.ctx, "http://127.0.0.1:9", { label: "Busy", scheme: "apiKey" });
  quiet = await seedDeployedApi(publisher.ctx, "http://127.0.0.1:9", { label: "Quiet", scheme: "apiKey" });
  await sendTraffic(busy.id, null, BUSY_CALLS);
  await sendTraffic(quiet.id, null, QUIET_CALLS, { status: 200 });
});

test.afterAll(async () => {
  await closeDb();
});

async function csvOf(page: import("@playwright/test").Page): Promise<string> {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  let text = "";
  for await (const chunk of await (await download).createReadStream()) text += chunk;
  return text;
}

test("the publisher filters the dashboard to one API: figures, series and CSV show only it", async ({ page }) => {
  await signInRequest(page.request, publisher.email, publisher.password);
  await page.goto("/publisher/analytics?range=1h");
  const requests = page.getByRole("group", { name: "Requests" }).getByRole("definition").first();
  await expect(requests).toHaveText(String(BUSY_CALLS + QUIET_CALLS));

  await page.getByRole("combobox", { name: "API", exact: true }).selectOption({ label: `${quiet.name} v1` });
  await expect(page).toHaveURL(new RegExp(`[?&]api=${quiet.id}`));
  await expect(requests).toHaveText(String(QUIET_CALLS));
  await expect(page.getByRole("group", { name: "Error rate" }).getByRole("definition").first()).toHaveText("0.0%");
  const topApis = page.getByRole("table", { name: "Top APIs" }).getByRole("row");
  await expect(topApis).toHaveCount(2);
  await expect(topApis.filter({ hasText: quiet.name })).toBeVisible();

  const csv = await csvOf(page);
  const lines = csv.trim().split("\r\n");
  expect(lines).toContain(`filter,apiId=${quiet.id},${quiet.name} v1,${",".repeat(lines[0].split(",").length - 4)}`);
  const seriesTotal = lines.filter((l) => l.startsWith("time,")).reduce((n, l) => n + Number(l.split(",")[4]), 0);
  expect(seriesTotal).toBe(QUIET_CALLS);
  const apiRows = lines.filter((l) => l.startsWith("apiId,"));
  expect(apiRows).toHaveLength(1);
  expect(apiRows[0]).toContain(`apiId,${quiet.id},${quiet.name} v1,,${QUIET_CALLS},`);
  expect(csv).not.toContain(busy.id);

  // The URL holds the view: opened again, it shows the same filtered figures.
  await page.goto(page.url());
  await expect(page.getByRole("combobox", { name: "API", exact: true })).toHaveValue(quiet.id);
  await expect(requests).toHaveText(String(QUIET_CALLS));
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(requests).toHaveText(String(BUSY_CALLS + QUIET_CALLS));
  await expect(page).not.toHaveURL(/api=/);
});

test("the admin finds the quiet API by name and by environment, beyond the top ten", async ({ asAdmin: { page } }) => {
  await page.goto(`/admin/analytics?range=1h&environment=default`);
  const apiFilter = page.getByRole("combobox", { name: "API", exact: true });
  await expect(apiFilter.getByRole("option", { name: `${quiet.name} v1` })).toHaveCount(1);
  await apiFilter.selectOption({ label: `${quiet.name} v1` });
  await expect(page.getByRole("group", { name: "Requests" }).getByRole("definition").first()).toHaveText(String(QUIET_CALLS));
  await expect(page).toHaveURL(/environment=default/);
  await expect(page).toHaveURL(new RegExp(`api=${quiet.id}`));
});
