import { closeDb } from "@/lib/db/client";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { visit, watchCsp } from "../csp";
import { expect, test } from "../fixtures";
import { batchOf, event } from "../../tests/integration/analytics-support";

const heading = (page: import("@playwright/test").Page) => expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();

test.afterAll(() => closeDb());

test("the admin portal runs without a CSP violation", async ({ asAdmin: { page } }) => {
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  const env = await getEnvironmentRowOrThrow("default");
  await ingestEvents(
    env,
    batchOf(Array.from({ length: 5 }, (_, i) => event(env.name, { time: new Date(Date.now() - (i + 1) * 60_000).toISOString() }))),
  );

  for (const route of [
    "/admin",
    "/admin/users",
    "/admin/environments",
    "/admin/environments/new",
    "/admin/environments/default",
    "/admin/tiers",
    "/admin/subscriptions",
    "/admin/settings",
    "/admin/audit",
  ]) {
    await visit(page, route, heading);
  }
  await visit(page, "/admin/analytics", async (p) =>
    expect(p.getByRole("img", { name: /Requests per (minute|hour)/ })).toBeVisible({ timeout: 20_000 }),
  );
  await page.waitForLoadState("networkidle");
  expect(csp.violations).toEqual([]);
});
