import { randomBytes } from "node:crypto";
import { CreateDeploymentCommand, DeleteStageCommand, GetExportCommand, PutRestApiCommand } from "@aws-sdk/client-api-gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsEmulator, type AwsEmulator } from "@/e2e/emulators/aws/server";
import { startAzureEmulator, type AzureEmulator } from "@/e2e/emulators/azure/server";
import { apiGatewayClient, awsCredentials } from "@/lib/connectors/aws/client";
import { awsConfigSchema } from "@/lib/connectors/aws/descriptor";
import { apiManagementClient, azureCredential } from "@/lib/connectors/azure/client";
import { azureConfigSchema } from "@/lib/connectors/azure/descriptor";
import { closeDb, getDb } from "@/lib/db/client";
import { auditEntries, jobs } from "@/lib/db/schema";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { getApiDefinition } from "@/lib/services/apis/get-api";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { adoptLive } from "@/lib/services/drift/adopt-live";
import { checkDriftNow, getDeploymentDrift, listEnvironmentDrift } from "@/lib/services/drift/get-drift";
import { reapplyDeployment } from "@/lib/services/drift/reapply-deployment";
import { scheduleDriftChecks } from "@/lib/services/drift/schedule-drift";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { and, eq } from "drizzle-orm";
import { userContext } from "../helpers";

/** Drift detection with the real SDKs against the AWS and Azure emulators, changes made behind Meridian's back. */
let ctx: ServiceContext;
let aws: AwsEmulator;
let azure: AzureEmulator;
let worker: Worker;
const suffix = randomBytes(3).toString("hex");
const awsEnv = `aws-drift-${suffix}`;
const azureEnv = `azure-drift-${suffix}`;
let awsConfig: Record<string, unknown>;

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  ctx = await userContext(["admin", "publisher"], "drift");
  aws = await startAwsEmulator();
  azure = await startAzureEmulator();
  queueSettings.backoffMs = 20;
  queueSettings.pollMs = 20;
  awsConfig = {
    region: "eu-west-1",
    accessKeyId: "AKIAMERIDIANEMULATOR",
    secretAccessKey: "meridian-emulator-secret",
    endpoint: aws.url,
    invokeUrlTemplate: aws.invokeUrlTemplate,
  };
  await createEnvironment(
    { name: awsEnv, type: "aws", mode: "read-write", displayName: awsEnv, discoveryIntervalMinutes: 5, config: awsConfig },
    ctx,
  );
  await createEnvironment({ name: azureEnv, type: "azure", mode: "read-write", displayName: azureEnv, config: azure.config }, ctx);
  worker = startWorker({ tasks: [], handlers: JOB_HANDLERS });
});
afterAll(async () => {
  await worker?.stop();
  await aws?.close();
  await azure?.close();
  await closeDb();
});

const DOC = (paths: string[]) =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Stock", version: "v1" },
    paths: Object.fromEntries(paths.map((p) => [p, { get: { responses: { "200": { description: "ok" } } } }])),
  });

async function until<T>(probe: () => Promise<T>, accept: (v: T) => boolean, ms = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (accept(v)) return v;
    if (Date.now() - start > ms) throw new Error(`not reached: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function deployed(env: string, security: "none" | "apiKey" = "none") {
  const api = await createApi(
    {
      definition: DOC(["/stock"]),
      name: `Stock ${randomBytes(3).toString("hex")}`,
      version: "v1",
      context: `/stock-${randomBytes(3).toString("hex")}`,
      endpoints: { production: "http://127.0.0.1:9/stock", sandbox: null, overrides: {} },
      security: { scheme: security, apiKeyHeader: "x-api-key" },
      ...(security === "apiKey" ? { allowedTiers: ["Gold"] } : {}),
    },
    ctx,
  );
  const revision = await createRevision(api.id, {}, ctx);
  const [row] = await deployRevision(api.id, { revisionId: revision.id, environments: [env] }, ctx);
  const done = await until(
    () => getDeployment(row.id, ctx),
    (d) => d.status === "deployed" || d.status === "failed",
  );
  expect(done.status, done.error ?? "").toBe("deployed");
  return { api, deployment: done, ref: done.reference as { ids: Record<string, string>; stage: string } };
}

async function reapplied(id: string) {
  const before = (await getDeployment(id, ctx)).updatedAt;
  await reapplyDeployment(id, ctx);
  await until(
    () => getDeployment(id, ctx),
    (d) => d.status === "deployed" && d.updatedAt !== before,
  );
}

describe("drift on AWS API Gateway (emulated)", () => {
  it(
    "finds a method added behind Meridian's back, re-applies, adopts, and shows a deleted stage as Missing",
    { timeout: 90_000 },
    async () => {
      const { api, deployment, ref } = await deployed(awsEnv, "apiKey");
      expect(await getDeploymentDrift(deployment.id, ctx)).toMatchObject({ state: "in_sync", appliedRevision: 1, desiredRevision: 1 });
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync", diff: null });

      const client = await apiGatewayClient(awsConfigSchema.parse(awsConfig), await awsCredentials(awsConfigSchema.parse(awsConfig)));
      // As someone in the console would: the stage's export with its integrations, one method more, imported over it and deployed.
      const addMethod = async () => {
        const exported = await client.send(
          new GetExportCommand({
            restApiId: ref.ids.restApiId,
            stageName: ref.stage,
            exportType: "oas30",
            parameters: { extensions: "integrations" },
          }),
        );
        const doc = JSON.parse(new TextDecoder().decode(exported.body)) as { paths: Record<string, unknown> };
        doc.paths["/stock/secret"] = {
          get: {
            responses: { "200": { description: "ok" } },
            "x-amazon-apigateway-integration": { type: "http_proxy", httpMethod: "GET", uri: "http://127.0.0.1:9/secret" },
          },
        };
        await client.send(
          new PutRestApiCommand({ restApiId: ref.ids.restApiId, mode: "overwrite", body: new TextEncoder().encode(JSON.stringify(doc)) }),
        );
        await client.send(new CreateDeploymentCommand({ restApiId: ref.ids.restApiId, stageName: ref.stage }));
      };
      await addMethod();
      const drifted = await checkDriftNow(deployment.id, ctx);
      expect(drifted.state).toBe("drifted");
      expect(drifted.diff!.lines.filter((l) => l.kind === "added").map((l) => l.text.trim())).toContain('"/stock/secret": {');
      expect(drifted.diff!.removed).toBe(0);
      expect(drifted.canAdopt).toBe(true);
      const db = await getDb();
      const audits = await db
        .select()
        .from(auditEntries)
        .where(and(eq(auditEntries.objectId, deployment.id), eq(auditEntries.action, "deployment.drift")));
      expect(audits.map((a) => a.details)).toEqual([expect.objectContaining({ from: "in_sync", to: "drifted" })]);
      expect((await listEnvironmentDrift(awsEnv, ctx)).counts).toMatchObject({ drifted: 1, inSync: 0, missing: 0 });

      // Re-apply: Meridian's version back, in sync.
      await reapplied(deployment.id);
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });
      const paths = [...aws.state.restApis.get(ref.ids.restApiId)!.resources.values()].map((r) => r.path);
      expect(paths).not.toContain("/stock/secret");

      // Adopt: what runs becomes revision 2 of the API, and the deployment names it.
      await addMethod();
      expect((await checkDriftNow(deployment.id, ctx)).state).toBe("drifted");
      const adopted = await adoptLive(deployment.id, ctx);
      expect(adopted.revisionNumber).toBe(2);
      const definition = (await getApiDefinition(api.id, ctx)).document as { paths: Record<string, unknown> };
      expect(Object.keys(definition.paths).sort()).toEqual(["/stock", "/stock/secret"]);
      expect(JSON.stringify(definition)).not.toContain("x-amazon-apigateway");
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync", desiredRevision: 2, appliedRevision: 2 });

      // A stage deleted there is Missing, never in sync; re-applying brings it back.
      await client.send(new DeleteStageCommand({ restApiId: ref.ids.restApiId, stageName: ref.stage }));
      const missing = await checkDriftNow(deployment.id, ctx);
      expect(missing).toMatchObject({ state: "missing", reason: expect.stringContaining(`Stage ${ref.stage}`) });
      expect(missing.diff!.added).toBe(0);
      expect(missing.diff!.removed).toBeGreaterThan(0);
      await expect(adoptLive(deployment.id, ctx)).rejects.toMatchObject({ code: "conflict" });
      await reapplied(deployment.id);
      expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync", appliedRevision: 2 });
      client.destroy();
    },
  );

  it("is scheduled on the environment's discovery interval and checks every deployment there", { timeout: 60_000 }, async () => {
    const { deployment, ref } = await deployed(awsEnv);
    const client = await apiGatewayClient(awsConfigSchema.parse(awsConfig), await awsCredentials(awsConfigSchema.parse(awsConfig)));
    await client.send(new DeleteStageCommand({ restApiId: ref.ids.restApiId, stageName: ref.stage }));
    client.destroy();
    expect(await scheduleDriftChecks()).toBeGreaterThanOrEqual(1);
    // Within the interval nothing more is queued for it.
    const db = await getDb();
    const queued = await db.select().from(jobs).where(eq(jobs.kind, "environment.drift"));
    await scheduleDriftChecks();
    expect(await db.select().from(jobs).where(eq(jobs.kind, "environment.drift"))).toHaveLength(queued.length);
    await until(
      () => getDeploymentDrift(deployment.id, ctx),
      (d) => d.state === "missing",
    );
  });
});

describe("drift on Azure API Management (emulated)", () => {
  it("finds an edited policy and a deleted API, and re-applies", { timeout: 90_000 }, async () => {
    const { deployment, ref } = await deployed(azureEnv);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });
    const config = azureConfigSchema.parse(azure.config);
    const client = await apiManagementClient(config, await azureCredential(config));
    const current = await client.apiPolicy.listByApi(config.resourceGroup, config.serviceName, ref.ids.apiId);
    const edited = current.value![0].value!.replace(
      "<inbound>",
      '<inbound>\n    <set-header name="x-edited" exists-action="override"><value>by hand</value></set-header>',
    );
    await client.apiPolicy.createOrUpdate(config.resourceGroup, config.serviceName, ref.ids.apiId, "policy", {
      format: "rawxml",
      value: edited,
    });

    const drifted = await checkDriftNow(deployment.id, ctx);
    expect(drifted.state).toBe("drifted");
    const added = drifted.diff!.lines.filter((l) => l.kind === "added").map((l) => l.text);
    expect(added.some((l) => l.includes('set-header name="x-edited"'))).toBe(true);

    await reapplied(deployment.id);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });

    await client.api.beginDeleteAndWait(config.resourceGroup, config.serviceName, ref.ids.apiId, "*", {
      deleteRevisions: true,
      updateIntervalInMs: 50,
    });
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "missing", reason: expect.stringContaining(ref.ids.apiId) });
    await reapplied(deployment.id);
    expect(await checkDriftNow(deployment.id, ctx)).toMatchObject({ state: "in_sync" });
  });
});
