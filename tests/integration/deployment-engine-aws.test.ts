import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAwsEmulator, type AwsEmulator } from "@/e2e/emulators/aws/server";
import { closeDb, getDb } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { updateDefinition } from "@/lib/services/apis/update-definition";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { planDeployment } from "@/lib/services/deployments/plan-deployment";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { undeployApi } from "@/lib/services/deployments/undeploy-api";
import { discoverEnvironment } from "@/lib/services/discovery/discover-environment";
import { listDiscovered } from "@/lib/services/discovery/list-discovered";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { getJob } from "@/lib/services/jobs/get-job";
import type { ServiceContext } from "@/lib/services/context";
import { userContext } from "../helpers";

/** The deployment engine with the real AWS connector and SDK, against the AWS emulator. */
let ctx: ServiceContext;
let emulator: AwsEmulator;
const workers: Worker[] = [];

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  ctx = await userContext(["admin", "publisher"], "aws-engine");
  emulator = await startAwsEmulator();
  queueSettings.backoffMs = 20;
  queueSettings.pollMs = 20;
});
afterAll(async () => {
  await emulator.close();
  await closeDb();
});
afterEach(async () => {
  emulator.faults.splice(0);
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

const unique = (label: string) => `${label}-${randomBytes(3).toString("hex")}`;
const DOC = (paths: string[]) =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Stock", version: "v1" },
    paths: Object.fromEntries(paths.map((p) => [p, { get: { responses: { "200": { description: "ok" } } } }])),
  });

function worker(): Worker {
  const w = startWorker({ tasks: [], handlers: JOB_HANDLERS });
  workers.push(w);
  return w;
}

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function setUp(mode = "read-write") {
  const env = unique("aws");
  await createEnvironment(
    {
      name: env,
      type: "aws",
      mode,
      displayName: env,
      config: {
        region: "eu-west-1",
        accessKeyId: "AKIAMERIDIANEMULATOR",
        secretAccessKey: "meridian-emulator-secret",
        endpoint: emulator.url,
        invokeUrlTemplate: emulator.invokeUrlTemplate,
      },
    },
    ctx,
  );
  const api = await createApi(
    {
      definition: DOC(["/stock"]),
      name: unique("Stock"),
      version: "v1",
      context: `/${unique("stock")}`,
      endpoints: { production: "http://127.0.0.1:9/stock", sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold"],
    },
    ctx,
  );
  const r1 = await createRevision(api.id, {}, ctx);
  await updateDefinition(api.id, DOC(["/stock", "/stock/all"]), ctx);
  const r2 = await createRevision(api.id, {}, ctx);
  return { env, api, r1, r2 };
}

const restApisNamed = (name: string) => [...emulator.state.restApis.values()].filter((r) => r.name === name);

describe("deployment engine on AWS (emulated)", () => {
  it("deploys after a throttled attempt, redeploys an older revision, and undeploys", async () => {
    const { env, api, r1, r2 } = await setUp();
    emulator.faults.push({ match: { method: "POST", pathPrefix: "/restapis" }, status: 429, times: 1 });
    worker();
    const [row] = await deployRevision(api.id, { revisionId: r2.id, environments: [env] }, ctx);
    const done = await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "deployed" || d.status === "failed",
    );
    expect(done.status).toBe("deployed");
    expect((await getJob(row.jobId!, ctx)).attempts).toBe(2);
    const ref = done.reference as { ids: { restApiId: string }; invokeUrl: string };
    expect(ref.invokeUrl).toBe(`${emulator.dataUrl}/restapis/${ref.ids.restApiId}/meridian/_user_request_`);
    expect(restApisNamed(api.name)).toHaveLength(1);

    await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
    await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "deployed" && d.deployedRevisionId === r1.id,
    );
    const paths = [...emulator.state.restApis.get(ref.ids.restApiId)!.resources.values()].map((r) => r.path);
    expect(paths).not.toContain("/stock/all");
    expect(restApisNamed(api.name)).toHaveLength(1);

    await undeployApi(api.id, env, ctx, { deleteApi: true });
    await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "undeployed",
    );
    expect(restApisNamed(api.name)).toHaveLength(0);
  });

  it("reuses the REST API it kept when undeploying, instead of importing a second one", async () => {
    const { env, api, r1 } = await setUp();
    worker();
    const [row] = await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
    await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "deployed",
    );
    await undeployApi(api.id, env, ctx);
    await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "undeployed",
    );
    expect(restApisNamed(api.name)).toHaveLength(1);
    await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
    const again = await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "deployed",
    );
    expect(again.steps.map((s) => s.step)).toContain("Updated the REST API");
    expect(restApisNamed(api.name)).toHaveLength(1);
  });

  it("fails a deploy that keeps getting 500s half-way and leaves nothing behind", async () => {
    const { env, api, r1 } = await setUp();
    emulator.faults.push({ match: { method: "POST", pathPrefix: "/restapis/" }, status: 500, times: 20 });
    worker();
    const [row] = await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
    const failed = await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "failed",
    );
    expect(failed.error).toMatch(/500|internal|unavailable/i);
    expect(await getJob(row.jobId!, ctx)).toMatchObject({ status: "failed", attempts: 5 });
    expect(restApisNamed(api.name)).toHaveLength(0);
    expect(failed.reference).toBeNull();
  });

  it("resumes after the worker dies mid-deploy and makes one REST API", async () => {
    const lease = queueSettings.leaseMs;
    queueSettings.leaseMs = 600;
    try {
      const { env, api, r1 } = await setUp();
      // The first attempt hangs on CreateDeployment; its worker is gone before the answer.
      emulator.faults.push({ match: { method: "POST", pathPrefix: "/restapis/" }, status: 503, delayMs: 3000, times: 1 });
      const [row] = await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
      const first = startWorker({ tasks: [], handlers: JOB_HANDLERS });
      await until(
        () => getDeployment(row.id, ctx),
        (d) => d.steps.some((s) => s.step === "Imported the REST API"),
      );
      first.abandon();
      worker();
      const done = await until(
        () => getDeployment(row.id, ctx),
        (d) => d.status === "deployed",
      );
      expect(done.steps.filter((s) => s.step === "Deployed")).toHaveLength(1);
      expect((await getJob(row.jobId!, ctx)).status).toBe("succeeded");
      expect(restApisNamed(api.name)).toHaveLength(1);
    } finally {
      queueSettings.leaseMs = lease;
    }
  });

  it("discovers every REST API across pages, and what Meridian deployed there too", async () => {
    const { env: target, api, r1 } = await setUp();
    worker();
    const [row] = await deployRevision(api.id, { revisionId: r1.id, environments: [target] }, ctx);
    await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "deployed",
    );
    const env = unique("aws-ro");
    await createEnvironment(
      {
        name: env,
        type: "aws",
        mode: "read-only",
        displayName: env,
        config: {
          region: "eu-west-1",
          accessKeyId: "AKIAMERIDIANEMULATOR",
          secretAccessKey: "meridian-emulator-secret",
          endpoint: emulator.url,
        },
      },
      ctx,
    );
    const job = await discoverEnvironment(env, ctx);
    const finished = await until(
      () => getJob(job.id, ctx),
      (j) => j.status === "succeeded" || j.status === "failed",
    );
    expect(finished.status).toBe("succeeded");
    const { items } = await listDiscovered(env, ctx);
    expect(items.length).toBe(emulator.state.restApis.size);
    expect(items.find((i) => i.name === api.name)).toMatchObject({
      state: "new",
      upstreams: [expect.stringContaining("http://127.0.0.1:9/stock")],
    });
  });

  it("plans an API without operations: refused on AWS, noted on the built-in gateway", async () => {
    const env = unique("aws");
    await createEnvironment(
      {
        name: env,
        type: "aws",
        mode: "read-write",
        displayName: env,
        config: {
          region: "eu-west-1",
          accessKeyId: "AKIAMERIDIANEMULATOR",
          secretAccessKey: "meridian-emulator-secret",
          endpoint: emulator.url,
        },
      },
      ctx,
    );
    const hooks = JSON.stringify({
      openapi: "3.1.0",
      info: { title: "Hooks", version: "v1" },
      webhooks: { stockChanged: { post: { responses: { "200": { description: "Received" } } } } },
    });
    const api = await createApi(
      {
        definition: hooks,
        name: unique("Hooks"),
        version: "v1",
        context: `/${unique("hooks")}`,
        endpoints: { production: "http://127.0.0.1:9/hooks", sandbox: null, overrides: {} },
        security: { scheme: "none", apiKeyHeader: "x-api-key" },
      },
      ctx,
    );
    const revision = await createRevision(api.id, {}, ctx);
    const requestsBefore = emulator.state.requests.length;
    const [builtin, aws] = await planDeployment(api.id, { revisionId: revision.id, environments: ["default", env] }, ctx);
    expect(builtin.refusals).toEqual([]);
    expect(builtin.notes).toEqual([
      { feature: "Operations", note: expect.stringMatching(/no operations: the gateway serves .* but answers 404 to every request/) },
    ]);
    expect(aws.refusals).toEqual([
      { feature: "Operations", reason: expect.stringMatching(/API Gateway refuses to deploy a REST API without methods/) },
    ]);
    await expect(deployRevision(api.id, { revisionId: revision.id, environments: [env] }, ctx)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/without methods/),
    });
    // Refused before any call to AWS.
    expect(emulator.state.requests.length).toBe(requestsBefore);
  });
});
