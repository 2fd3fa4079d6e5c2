import fs from "node:fs";
import path from "node:path";
import { closeDb } from "@/lib/db/client";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";
import { createApi } from "@/lib/services/apis/create-api";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { visit, watchCsp } from "../csp";
import { expect, test, unique } from "../fixtures";
import { batchOf, event } from "../../tests/integration/analytics-support";

const petstore = fs.readFileSync(path.resolve("tests/fixtures/openapi/petstore-3.0.yaml"), "utf8");
const heading = (page: import("@playwright/test").Page) => expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();

test.afterAll(() => closeDb());

test("the publisher portal, the definition editor and the charts run without a CSP violation", async ({ asPublisher: { page, user } }) => {
  test.setTimeout(150_000);
  const csp = await watchCsp(page);
  const api = await createApi({ definition: petstore, name: unique("Csp"), context: `/${unique("csp").toLowerCase()}` }, user.ctx);
  const env = await getEnvironmentRowOrThrow("default");
  await ingestEvents(
    env,
    batchOf(
      Array.from({ length: 5 }, (_, i) => event(env.name, { apiId: api.id, time: new Date(Date.now() - (i + 1) * 60_000).toISOString() })),
    ),
  );

  for (const route of [
    "/publisher",
    "/publisher/apis",
    "/publisher/apis/new",
    "/publisher/subscriptions",
    `/publisher/apis/${api.id}`,
    `/publisher/apis/${api.id}/operations`,
    `/publisher/apis/${api.id}/revisions`,
    `/publisher/apis/${api.id}/deployments`,
    `/publisher/apis/${api.id}/lifecycle`,
    `/publisher/apis/${api.id}/documents`,
    "/account/tokens",
  ]) {
    await visit(page, route, heading);
  }

  // CodeMirror inserts its styles at run time and lints as the document changes.
  await visit(page, `/publisher/apis/${api.id}/definition`, async (p) =>
    expect(p.getByTestId("definition-editor").locator(".cm-content")).toContainText("openapi: 3.0.3"),
  );
  const editor = page.getByTestId("definition-editor").locator(".cm-content");
  await editor.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.insertText("\nx-note: edited\n");
  await page.getByRole("button", { name: "Save definition" }).click();
  await expect(page.getByText(/Saved: \d+ operations/)).toBeVisible();

  // recharts draws the traffic.
  await visit(page, "/publisher/analytics", async (p) =>
    expect(p.getByRole("img", { name: /Requests per (minute|hour)/ })).toBeVisible({ timeout: 20_000 }),
  );
  await page.waitForLoadState("networkidle");
  expect(csp.violations).toEqual([]);
});
