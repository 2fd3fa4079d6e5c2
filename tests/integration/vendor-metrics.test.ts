import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsEmulator, type AwsEmulator } from "@/e2e/emulators/aws/server";
import { startAzureEmulator, type AzureEmulator } from "@/e2e/emulators/azure/server";
import { closeDb, getDb } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { pullVendorMetrics } from "@/lib/jobs/pull-vendor-metrics";
import { queueSettings } from "@/lib/jobs/queue";
import { PERIODIC_TASKS, startWorker, type Worker } from "@/lib/jobs/worker";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { rollUpEvents } from "@/lib/services/analytics/roll-up-events";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { adminCtx, userContext } from "../helpers";

/**
 * Third-party traffic end to end: APIs deployed by the engine to the AWS and Azure emulators,
 * requests through the emulators' data planes, the scheduled pull (CloudWatch GetMetricData;
 * API Management reports) into the roll-ups, and the dashboards' summary query under each
 * environment: exact counts, no application breakdown, and a minute read again never counted twice.
 */

let ctx: ServiceContext;
let aws: AwsEmulator;
let azure: AzureEmulator;
let backend: http.Server;
let backendUrl = "";
const workers: Worker[] = [];

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  ctx = await userContext(["admin", "publisher"], "vendor-metrics");
  aws = await startAwsEmulator();
  azure = await startAzureEmulator();
  backend = http.createServer((req, res) => {
    // A backend that fails on /boom: the gateway passes its 502 on.
    res.writeHead(req.url?.includes("boom") ? 502 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  queueSettings.backoffMs = 20;
  queueSettings.pollMs = 20;
  workers.push(startWorker({ tasks: [], handlers: JOB_HANDLERS }));
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await aws?.close();
  await azure?.close();
  await new Promise((r) => backend?.close(r));
  await closeDb();
});

const unique = (label: string) => `${label}-${randomBytes(3).toString("hex")}`;
const DOC = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Stock", version: "v1" },
  paths: {
    "/stock": { get: { responses: { "200": { description: "ok" } } } },
    "/boom": { get: { responses: { "200": { description: "ok" } } } },
  },
});

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An API deployed by the engine to a new environment of `type`; returns where its stage or gateway serves it. */
async function deployed(type: "aws" | "azure", config: Record<string, unknown>) {
  const env = unique(type);
  await createEnvironment({ name: env, type, mode: "read-write", displayName: env, region: "eu-west-1", config }, ctx);
  const api = await createApi(
    {
      definition: DOC,
      name: unique("Stock"),
      version: "v1",
      context: `/${unique("stock")}`,
      endpoints: { production: backendUrl, sandbox: null, overrides: {} },
      security: { scheme: "none", apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold"],
    },
    ctx,
  );
  const revision = await createRevision(api.id, {}, ctx);
  const [row] = await deployRevision(api.id, { revisionId: revision.id, environments: [env] }, ctx);
  const done = await until(
    () => getDeployment(row.id, ctx),
    (d) => d.status === "deployed" || d.status === "failed",
    30_000,
  );
  expect(done.error).toBeNull();
  expect(done.status).toBe("deployed");
  const invokeUrl = (done.reference as { invokeUrl?: string }).invokeUrl!;
  return { env, apiId: api.id, invokeUrl };
}

/** `ok` calls to /stock, `failing` to /boom (502 from the backend); returns the statuses. */
async function traffic(invokeUrl: string, ok: number, failing: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < ok + failing; i++) {
    const res = await fetch(`${invokeUrl}/${i < ok ? "stock" : "boom"}`);
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

async function totals(environment: string, apiId: string) {
  const now = Date.now();
  const summary = await getAnalyticsSummary(
    { environment, apiId, from: new Date(now - 3_600_000), to: new Date(now + 60_000), scope: "all", groupBy: "applicationId" },
    adminCtx,
  );
  return { ...summary.totals, applications: summary.breakdowns.applicationId?.map((g) => `${g.key}: ${g.label}`) };
}

describe("traffic of third-party gateways on the dashboards", () => {
  it("is pulled on a schedule from CloudWatch and counted once under its AWS environment", async () => {
    const config = {
      region: "eu-west-1",
      accessKeyId: "AKIAMERIDIANEMULATOR",
      secretAccessKey: "meridian-emulator-secret",
      endpoint: aws.url,
      invokeUrlTemplate: aws.invokeUrlTemplate,
    };
    const { env, apiId, invokeUrl } = await deployed("aws", config);
    const statuses = await traffic(invokeUrl, 6, 2);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 502, 502]);

    // The worker's scheduled task, at a test-sized interval.
    const task = PERIODIC_TASKS.find((t) => t.name === "vendor-metrics")!;
    expect(task).toBeDefined();
    workers.push(startWorker({ tasks: [{ ...task, everyMs: 500 }], handlers: {} }));
    const first = await until(
      () => totals(env, apiId),
      (t) => t.requests === 8,
    );
    expect(first).toMatchObject({
      requests: 8,
      status2xx: 6,
      status5xx: 2,
      status4xx: 0,
      applications: ["~aws: No per-application breakdown (AWS API Gateway)"],
    });
    expect(first.latencyAvgMs).toBeGreaterThan(0);
    expect(aws.state.requests.some((r) => r.path.endsWith("GetMetricData") && r.status === 200)).toBe(true);

    // Read again and again: still 8. More traffic: exactly that much more, also after the roll-up.
    await pullVendorMetrics();
    await pullVendorMetrics();
    expect((await totals(env, apiId)).requests).toBe(8);
    await traffic(invokeUrl, 3, 0);
    await until(
      () => totals(env, apiId),
      (t) => t.requests === 11,
    );
    await rollUpEvents();
    await pullVendorMetrics();
    expect(await totals(env, apiId)).toMatchObject({ requests: 11, status2xx: 9, status5xx: 2 });
    await Promise.all(workers.splice(1).map((w) => w.stop()));
  }, 120_000);

  it("is pulled from the API Management reports and counted once under its Azure environment", async () => {
    const { env, apiId, invokeUrl } = await deployed("azure", azure.config);
    const statuses = await traffic(invokeUrl, 5, 1);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 502]);
    // This environment's pull (on a shared PostgreSQL database other files' environments are there too).
    const { id: environmentId } = await getEnvironmentRowOrThrow(env);
    const result = await pullVendorMetrics({ environmentIds: [environmentId] });
    expect(result.failures).toEqual([]);
    expect(result.environments).toBe(1);
    expect(await totals(env, apiId)).toMatchObject({
      requests: 6,
      status2xx: 5,
      status5xx: 1,
      applications: ["~azure: No per-application breakdown (Azure API Management)"],
    });
    await pullVendorMetrics();
    await rollUpEvents();
    expect((await totals(env, apiId)).requests).toBe(6);
    const calls = azure.state.requests.map((r) => r.path);
    expect(calls.some((p) => p.includes("/reports/byTime"))).toBe(true);
    expect(calls.some((p) => p.includes("/reports/byApi"))).toBe(true);
  }, 120_000);
});
