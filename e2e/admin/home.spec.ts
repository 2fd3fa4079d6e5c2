import { closeDb } from "@/lib/db/client";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { listDeployments } from "@/lib/services/deployments/list-deployments";
import { expect, seedCtx, seedUser, test, unique } from "../fixtures";

/** The admin home answers an operator's first questions; dates read alike in every portal. */
const DATE_TIME = /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}(:\d{2})? UTC$/;

test.afterAll(async () => {
  await closeDb();
});

test("the admin home shows gateway health, a failing deployment, traffic and activity in words", async ({ asAdmin: { page } }) => {
  test.setTimeout(90_000);
  const publisher = await seedUser(["publisher"], "home-pub");
  const name = unique("Homebound");
  const api = await createApi(
    {
      name,
      version: "v1",
      context: `/${name.toLowerCase()}`,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "Home", version: "1" },
        paths: { "/x": { get: { responses: { "200": { description: "ok" } } } } },
      }),
      endpoints: { production: "http://127.0.0.1:9", sandbox: null, overrides: {} },
      // What API Gateway can enforce: keys in x-api-key.
      security: { scheme: "apiKey", apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold"],
    },
    publisher.ctx,
  );
  // An AWS environment whose endpoint answers nothing: the deployment fails after its retries.
  const envName = unique("aws-down");
  await createEnvironment(
    {
      name: envName,
      type: "aws",
      mode: "read-write",
      displayName: `AWS ${envName}`,
      region: "eu-west-1",
      config: {
        region: "eu-west-1",
        accessKeyId: "AKIAMERIDIANEMULATOR",
        secretAccessKey: "meridian-emulator-secret",
        endpoint: "http://127.0.0.1:9",
        stageName: "prod",
      },
    },
    seedCtx,
  );
  const revision = await createRevision(api.id, { description: "to a gateway that is down" }, publisher.ctx);
  await deployRevision(api.id, { revisionId: revision.id, environments: [envName] }, publisher.ctx);
  await expect
    .poll(async () => (await listDeployments(api.id, publisher.ctx)).find((d) => d.environmentName === envName)?.status, {
      timeout: 60_000,
      intervals: [500],
    })
    .toBe("failed");

  await page.goto("/admin");
  const gateways = page.getByRole("region", { name: "Gateways" });
  await expect(gateways.getByRole("link", { name: "Default" })).toBeVisible();
  await expect(gateways.getByText(/healthy|degraded|down|unknown/).first()).toBeVisible();
  const failing = page.getByRole("region", { name: "Failing deployments" });
  const item = failing.getByRole("listitem").filter({ hasText: name });
  await expect(item).toContainText(`on AWS ${envName}`);
  await expect(item.getByText("failed", { exact: true })).toBeVisible();
  await expect(item.getByRole("link", { name: `${name} v1` })).toHaveAttribute("href", `/publisher/apis/${api.id}/deployments`);
  await expect(item.locator("time")).toHaveText(DATE_TIME);
  await expect(page.getByRole("region", { name: "Traffic, last 24 hours" }).getByText("Requests")).toBeVisible();

  const activity = page.getByRole("list", { name: "Recent activity" }).getByRole("listitem");
  await expect(activity.first()).toBeVisible();
  for (const text of await activity.allInnerTexts())
    expect(text, "an activity reads as words, not as a code").not.toMatch(/\b[a-z_]+\.[a-z_]+\b/);
  await expect(activity.locator("time").first()).toHaveText(DATE_TIME);
  await page.screenshot({ path: test.info().outputPath("admin-home.png"), fullPage: true });
});

test("dates read the same in the admin and the publisher portals", async ({ asAdmin: { page, user } }) => {
  await page.goto(`/admin/users?q=${encodeURIComponent(user.email)}`);
  await expect(page.getByTestId(`user-row-${user.email}`).getByText(DATE_TIME)).toBeVisible();
  await page.goto("/admin/audit");
  await expect(page.getByRole("table").getByRole("row").nth(1).getByRole("cell").first()).toHaveText(DATE_TIME);
});

test("a toast leaves the account menu free, and a row's destructive button does not fill the table with red", async ({
  asAdmin: { page, user },
}) => {
  const target = await seedUser(["subscriber"], "toast");
  await page.goto(`/admin/users?q=${encodeURIComponent(target.email)}`);
  const row = page.getByTestId(`user-row-${target.email}`);
  const disable = row.getByRole("button", { name: "Disable" });
  const background = await disable.evaluate((b) => getComputedStyle(b).backgroundColor);
  const [r, g, bl] = background.match(/\d+/g)!.map(Number);
  expect(r - Math.max(g, bl), `the Disable button's background ${background} is not red`).toBeLessThan(60);

  await row.getByLabel(`publisher role for ${target.email}`).check();
  const toast = page.getByText(`Roles of ${target.email} updated`);
  await expect(toast).toBeVisible();
  const menu = await page.getByRole("button", { name: user.email }).boundingBox();
  const box = await toast.boundingBox();
  const overlaps =
    box!.x < menu!.x + menu!.width && menu!.x < box!.x + box!.width && box!.y < menu!.y + menu!.height && menu!.y < box!.y + box!.height;
  expect(overlaps, "the toast covers the account menu").toBe(false);
});

test("the portals have a favicon", async ({ page, request }) => {
  await page.goto("/signin");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/icon/);
  const res = await request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("image/svg+xml");
});
