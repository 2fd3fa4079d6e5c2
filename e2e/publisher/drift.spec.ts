import { APIGatewayClient, CreateDeploymentCommand, GetExportCommand, PutRestApiCommand } from "@aws-sdk/client-api-gateway";
import { closeDb } from "@/lib/db/client";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ADMIN, expect, seedCtx, seedUser, signInRequest, test, unique } from "../fixtures";

/**
 * Drift in both portals: an API deployed to emulated AWS API Gateway gets a method added there
 * behind Meridian's back; the publisher's deployments tab shows it Drifted with the diff, the
 * admin's environment page too, and Re-apply puts Meridian's version back (In sync).
 */
const AWS_URL = process.env.E2E_AWS_URL!;
const AWS_DATA_URL = process.env.E2E_AWS_DATA_URL!;
const CREDENTIALS = { accessKeyId: "AKIAMERIDIANEMULATOR", secretAccessKey: "meridian-emulator-secret" };

test.afterAll(async () => {
  await closeDb();
});

test("a method added on AWS behind Meridian's back shows as Drifted with its diff, and Re-apply brings it back in sync", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const publisher = await seedUser(["publisher"], "drift-pub");
  const envName = unique("aws-drift");
  await createEnvironment(
    {
      name: envName,
      type: "aws",
      mode: "read-write",
      displayName: `AWS ${envName}`,
      region: "eu-west-1",
      config: {
        region: "eu-west-1",
        ...CREDENTIALS,
        endpoint: AWS_URL,
        stageName: "prod",
        invokeUrlTemplate: `${AWS_DATA_URL}/restapis/{restApiId}/{stage}/_user_request_`,
      },
    },
    seedCtx,
  );
  const name = unique("Parcels");
  const api = await createApi(
    {
      name,
      version: "v1",
      context: `/${name.toLowerCase()}`,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "Parcels", version: "v1" },
        paths: { "/parcels": { get: { responses: { "200": { description: "ok" } } } } },
      }),
      endpoints: { production: "http://127.0.0.1:9/parcels", sandbox: null, overrides: {} },
      security: { scheme: "none", apiKeyHeader: "x-api-key" },
    } as never,
    publisher.ctx,
  );
  const revision = await createRevision(api.id, { description: "drift e2e" }, publisher.ctx);
  const [row] = await deployRevision(api.id, { revisionId: revision.id, environments: [envName] }, publisher.ctx);
  await expect.poll(async () => (await getDeployment(row.id, publisher.ctx)).status, { timeout: 45_000 }).toBe("deployed");
  const ref = (await getDeployment(row.id, publisher.ctx)).reference as { ids: { restApiId: string }; stage: string };

  // Someone adds a method in the console and deploys the stage.
  const aws = new APIGatewayClient({ region: "eu-west-1", endpoint: AWS_URL, credentials: CREDENTIALS });
  const exported = await aws.send(
    new GetExportCommand({
      restApiId: ref.ids.restApiId,
      stageName: ref.stage,
      exportType: "oas30",
      parameters: { extensions: "integrations" },
    }),
  );
  const doc = JSON.parse(new TextDecoder().decode(exported.body)) as { paths: Record<string, unknown> };
  doc.paths["/parcels/secret"] = {
    get: {
      responses: { "200": { description: "ok" } },
      "x-amazon-apigateway-integration": { type: "http_proxy", httpMethod: "GET", uri: "http://127.0.0.1:9/secret" },
    },
  };
  await aws.send(
    new PutRestApiCommand({ restApiId: ref.ids.restApiId, mode: "overwrite", body: new TextEncoder().encode(JSON.stringify(doc)) }),
  );
  await aws.send(new CreateDeploymentCommand({ restApiId: ref.ids.restApiId, stageName: ref.stage }));
  aws.destroy();

  // The publisher checks now: Drifted, and the diff names the method.
  await signInRequest(page.request, publisher.email, publisher.password);
  await page.goto(`/publisher/apis/${api.id}/deployments`);
  const publisherRow = page
    .getByRole("table", { name: "Drift" })
    .getByRole("row")
    .filter({ hasText: `AWS ${envName}` });
  await expect(publisherRow.getByTestId("drift-state")).toHaveText("In sync");
  await publisherRow.getByRole("button", { name: `Check drift on AWS ${envName}` }).click();
  await expect(publisherRow.getByTestId("drift-state")).toHaveText("Drifted");
  await expect(publisherRow.getByTestId("drift-diff")).toContainText('+ "/parcels/secret": {');
  await expect(publisherRow.getByRole("button", { name: "Adopt" })).toBeVisible();

  // The admin sees the same on the environment's page, and re-applies.
  await page.context().clearCookies();
  await signInRequest(page.request, ADMIN.email, ADMIN.password);
  await page.goto(`/admin/environments/${envName}`);
  await expect(page.getByTestId("environment-drift-counts")).toHaveText("0 in sync · 1 drifted · 0 missing");
  const adminRow = page.getByRole("table", { name: "Drift" }).getByRole("row").filter({ hasText: name });
  await expect(adminRow.getByTestId("drift-state")).toHaveText("Drifted");
  await expect(adminRow.getByTestId("drift-diff")).toContainText("/parcels/secret");
  await adminRow.getByRole("button", { name: "Re-apply" }).click();
  await expect(adminRow.getByTestId("drift-state")).toHaveText("In sync", { timeout: 60_000 });
  await expect(adminRow.getByTestId("drift-diff")).toHaveCount(0);

  await page.goto("/admin");
  await expect(page.getByTestId("home-drift")).toContainText("in sync");
});
