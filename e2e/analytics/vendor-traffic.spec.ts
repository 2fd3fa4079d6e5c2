import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeDb } from "@/lib/db/client";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { expect, seedCtx, test, unique } from "../fixtures";

/**
 * Traffic on AWS API Gateway joins the central view: an API deployed to the AWS emulator,
 * requests through the emulator's stage, and the worker's scheduled CloudWatch pull (every
 * minute) brings them to the admin dashboard under their environment, with no per-application
 * breakdown said in words instead of a zero.
 */
const AWS_URL = process.env.E2E_AWS_URL!;
const AWS_DATA_URL = process.env.E2E_AWS_DATA_URL!;
const CALLS = 5;

let backend: http.Server;
let apiId: string;
let apiName: string;
let environmentLabel: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  backend = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  const upstream = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  const name = unique("awsan").toLowerCase();
  environmentLabel = `AWS ${name}`;
  await createEnvironment(
    {
      name,
      type: "aws",
      mode: "read-write",
      displayName: environmentLabel,
      region: "eu-west-1",
      config: {
        region: "eu-west-1",
        accessKeyId: "AKIAMERIDIANEMULATOR",
        secretAccessKey: "meridian-emulator-secret",
        endpoint: AWS_URL,
        invokeUrlTemplate: `${AWS_DATA_URL}/restapis/{restApiId}/{stage}/_user_request_`,
      },
    },
    seedCtx,
  );
  apiName = unique("Vendor traffic");
  const api = await createApi(
    {
      name: apiName,
      version: "v1",
      context: `/${unique("vendor").toLowerCase()}`,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "Pets", version: "1.0.0" },
        paths: { "/pets": { get: { responses: { "200": { description: "ok" } } } } },
      }),
      endpoints: { production: upstream, sandbox: null, overrides: {} },
      security: { scheme: "none", apiKeyHeader: "apikey" },
      allowedTiers: ["Gold"],
    } as never,
    seedCtx,
  );
  apiId = api.id;
  await changeLifecycle(apiId, { action: "publish" } as never, seedCtx);
  const revision = await createRevision(apiId, { description: "vendor traffic e2e" }, seedCtx);
  const [row] = await deployRevision(apiId, { revisionId: revision.id, environments: [name] }, seedCtx);
  await expect.poll(async () => (await getDeployment(row.id, seedCtx)).status, { timeout: 60_000, intervals: [500] }).toBe("deployed");
  const invokeUrl = ((await getDeployment(row.id, seedCtx)).reference as { invokeUrl: string }).invokeUrl;
  for (let i = 0; i < CALLS; i++) expect((await fetch(`${invokeUrl}/pets`)).status).toBe(200);
});

test.afterAll(async () => {
  backend?.close();
  await closeDb();
});

test("the admin dashboard shows AWS traffic under its environment, saying it has no per-application breakdown", async ({
  asAdmin: { page },
}) => {
  test.setTimeout(180_000);
  // The worker reads CloudWatch every minute.
  await expect
    .poll(
      async () => {
        const res = await page.request.get(
          `/api/v1/analytics/summary?scope=all&apiId=${apiId}&from=${new Date(Date.now() - 3_600_000).toISOString()}`,
        );
        return (await res.json()).totals?.requests;
      },
      { timeout: 150_000, intervals: [2_000] },
    )
    .toBe(CALLS);
  await page.goto("/admin/analytics");
  await page.getByRole("button", { name: "Last hour", exact: true }).click();
  await expect(page.getByRole("table", { name: "Top APIs" }).getByRole("row").filter({ hasText: apiName })).toBeVisible();
  await expect(page.getByRole("table", { name: "By environment" }).getByRole("row").filter({ hasText: environmentLabel })).toBeVisible();
  const noBreakdown = page
    .getByRole("table", { name: "Top applications" })
    .getByRole("row")
    .filter({ hasText: "No per-application breakdown (AWS API Gateway)" });
  await expect(noBreakdown).toBeVisible();
  await expect(page.getByText(/report traffic per API, not per application/)).toBeVisible();
});
