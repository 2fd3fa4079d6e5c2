import { APIGatewayClient, CreateDeploymentCommand, DeleteRestApiCommand, ImportRestApiCommand } from "@aws-sdk/client-api-gateway";
import { closeDb } from "@/lib/db/client";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { expect, seedCtx, test, unique } from "../fixtures";

/**
 * Discovery from the admin portal against the AWS emulator: an API created on the gateway behind
 * Meridian's back shows up as New, imports into a Meridian API, and shows as Gone once deleted.
 */
const aws = new APIGatewayClient({
  region: "eu-west-1",
  endpoint: process.env.E2E_AWS_URL,
  credentials: { accessKeyId: "AKIAMERIDIANEMULATOR", secretAccessKey: "meridian-emulator-secret" },
});

test.afterAll(async () => {
  aws.destroy();
  await closeDb();
});

test("an admin discovers an API on AWS, imports it, and sees it gone after it is deleted there", async ({ asAdmin: { page } }) => {
  test.setTimeout(90_000);
  const title = unique("Legacy Billing");
  const document = {
    openapi: "3.0.1",
    info: { title, version: "2024-01-01" },
    paths: {
      "/invoices": {
        get: {
          responses: { "200": { description: "ok" } },
          "x-amazon-apigateway-integration": { type: "http_proxy", httpMethod: "GET", uri: "http://billing.internal.example/invoices" },
        },
      },
    },
  };
  const created = await aws.send(
    new ImportRestApiCommand({ body: new TextEncoder().encode(JSON.stringify(document)), failOnWarnings: false }),
  );
  // Exports come from a stage, as on AWS.
  await aws.send(new CreateDeploymentCommand({ restApiId: created.id!, stageName: "live" }));
  const name = unique("aws-ro");
  await createEnvironment(
    {
      name,
      type: "aws",
      mode: "read-only",
      displayName: `AWS ${name}`,
      config: {
        region: "eu-west-1",
        accessKeyId: "AKIAMERIDIANEMULATOR",
        secretAccessKey: "meridian-emulator-secret",
        endpoint: process.env.E2E_AWS_URL,
      },
    },
    seedCtx,
  );

  await page.goto(`/admin/environments/${name}`);
  await page.getByRole("button", { name: "Discover now" }).click();
  await expect(page.getByTestId("discovery-status")).toContainText("succeeded", { timeout: 30_000 });
  const row = page.getByRole("table", { name: "Discovered APIs" }).getByRole("row").filter({ hasText: title });
  await expect(row).toContainText("New");
  await row.getByRole("button", { name: `Import ${title}` }).click();
  await expect(row.getByRole("link", { name: title })).toBeVisible();

  await aws.send(new DeleteRestApiCommand({ restApiId: created.id! }));
  // A click while the previous run is still finishing joins that run (one discovery at a time
  // per environment), which listed the API: ask again until a run after the deletion shows it gone.
  await expect(async () => {
    await page.getByRole("button", { name: "Discover now" }).click();
    await expect(row).toContainText("Gone", { timeout: 10_000 });
  }).toPass({ timeout: 45_000 });
});
