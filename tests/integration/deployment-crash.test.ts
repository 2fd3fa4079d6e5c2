import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAwsEmulator, type AwsEmulator } from "@/e2e/emulators/aws/server";
import { startAzureEmulator, type AzureEmulator } from "@/e2e/emulators/azure/server";
import { closeDb, getDb } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { undeployApi } from "@/lib/services/deployments/undeploy-api";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { getJob } from "@/lib/services/jobs/get-job";
import { userContext } from "../helpers";

/**
 * The worker killed between two calls of a first deployment, after every call in turn, on
 * every push connector: the emulator serves the first N calls, then holds every later call
 * without effect (the process that made them is gone); the dead worker never renews its
 * lease, and a new worker resumes the same job (same id, same idempotency key) once the lease
 * has run out, as the queue does after a real crash. Afterwards exactly one remote API serves,
 * and an undeploy that deletes the API leaves nothing.
 */

let ctx: ServiceContext;
let aws: AwsEmulator;
let azure: AzureEmulator;
const workers: Worker[] = [];
const saved = { ...queueSettings };
// The doomed worker's lease is short so that the job is resumed soon after it dies; a live
// worker's is long enough that a slow moment of the database never makes it lose the job.
const DOOMED_LEASE_MS = 1000;
const LIVE_LEASE_MS = 10_000;

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  ctx = await userContext(["admin", "publisher"], "crash");
  [aws, azure] = await Promise.all([startAwsEmulator(), startAzureEmulator({ lroPolls: 1 })]);
  Object.assign(queueSettings, { backoffMs: 20, pollMs: 20, leaseMs: LIVE_LEASE_MS });
});
afterAll(async () => {
  Object.assign(queueSettings, saved);
  await Promise.all([aws.close(), azure.close()]);
  await closeDb();
});
afterEach(async () => {
  aws.crash.clear();
  azure.crash.clear();
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

const unique = (label: string) => `${label}-${randomBytes(3).toString("hex")}`;
const DOC = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Stock", version: "v1" },
  paths: { "/stock": { get: { responses: { "200": { description: "ok" } } } } },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T> | T, accept: (value: T) => boolean, what = "condition", timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(20);
  }
}

function worker(): Worker {
  const w = startWorker({ tasks: [], handlers: JOB_HANDLERS });
  workers.push(w);
  return w;
}

/** What one connector's emulator holds for one API: the remote APIs and what was made for their tiers. */
interface Target {
  label: string;
  type: "aws" | "azure";
  config(): Record<string, unknown>;
  crash(): { arm(n: number): void; clear(): void; held: number };
  /** From now on the deployment's last call fails for good (a 400), until `healed`. */
  breakLastCall(): void;
  heal(): void;
  /** Management calls served so far. */
  calls(): number;
  remote(api: { name: string; context: string }): { apis: number; untagged: number; perTier: number; other: number };
}

const targets: Target[] = [
  {
    label: "AWS API Gateway",
    type: "aws",
    config: () => ({
      region: "eu-west-1",
      accessKeyId: "AKIAMERIDIANEMULATOR",
      secretAccessKey: "meridian-emulator-secret",
      endpoint: aws.url,
      invokeUrlTemplate: aws.invokeUrlTemplate,
    }),
    crash: () => aws.crash,
    breakLastCall: () => void aws.faults.push({ match: { method: "GET", pathContains: "/exports/" }, status: 400, times: 100 }),
    heal: () => void aws.faults.splice(0),
    calls: () => aws.state.requests.filter((r) => r.status !== 0).length,
    remote(api) {
      const apis = [...aws.state.restApis.values()].filter((r) => r.name === api.name);
      const ids = new Set(apis.map((a) => a.id));
      // Named after the API: found also once the REST API they served is gone.
      const plans = [...aws.state.usagePlans.values()].filter(
        (p) => p.name.startsWith(`${api.name} `) || ids.has(p.tags["meridian:rest-api-id"] ?? ""),
      );
      // Deployments that no stage serves: an attempt's leftovers inside the API.
      const idle = apis.reduce(
        (n, a) => n + [...a.deployments.keys()].filter((d) => ![...a.stages.values()].some((s) => s.deploymentId === d)).length,
        0,
      );
      return {
        apis: apis.length,
        untagged: apis.filter((a) => !a.tags["meridian:idempotency-key"]).length,
        perTier: plans.length,
        other: idle,
      };
    },
  },
  {
    label: "Azure API Management",
    type: "azure",
    config: () => azure.config,
    crash: () => azure.crash,
    breakLastCall: () =>
      azure.faults.add({ match: { method: "GET", pathContains: "export=true" }, status: 400, code: "ValidationError", times: 100 }),
    heal: () => azure.faults.clear(),
    calls: () => azure.state.requests.filter((r) => r.path.startsWith("/subscriptions/")).length,
    remote(api) {
      const path = api.context.replace(/^\/+/, "");
      const apis = [...azure.state.apis.values()].filter((a) => a.path === path);
      const ids = new Set(apis.map((a) => a.id));
      const products = [...azure.state.products.values()].filter(
        (p) => p.apis.some((id) => ids.has(id)) || [...ids].some((id) => p.id.startsWith(`${id}-`)),
      );
      const versionSets = [...azure.state.versionSets.values()].filter((v) => v.id === `meridian-${path}`);
      return { apis: apis.length, untagged: 0, perTier: products.length, other: versionSets.length };
    },
  },
];

async function setUp(target: Target) {
  const env = unique(target.type);
  await createEnvironment({ name: env, type: target.type, mode: "read-write", displayName: env, config: target.config() }, ctx);
  const name = unique("Stock");
  const context = `/${unique("stock")}`;
  const api = await createApi(
    {
      definition: DOC,
      name,
      version: "v1",
      context,
      endpoints: { production: "http://127.0.0.1:9/stock", sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold"],
    },
    ctx,
  );
  const revision = await createRevision(api.id, {}, ctx);
  return { env, api, revision, name, context };
}

/** Deploys without a crash, then undeploys with delete: how many calls a first deployment makes. */
async function callsOfFirstDeploy(target: Target): Promise<number> {
  const { env, api, revision } = await setUp(target);
  const w = worker();
  const before = target.calls();
  const [row] = await deployRevision(api.id, { revisionId: revision.id, environments: [env] }, ctx);
  await until(
    () => getDeployment(row.id, ctx),
    (d) => d.status === "deployed",
  );
  const calls = target.calls() - before;
  await undeployApi(api.id, env, ctx, { deleteApi: true });
  await until(
    () => getDeployment(row.id, ctx),
    (d) => d.status === "undeployed",
  );
  await w.stop();
  workers.splice(workers.indexOf(w), 1);
  return calls;
}

/** Arms the crash after `n` calls, deploys, kills the worker at the crash point and lets a new one resume the job. */
async function deployThroughCrash(target: Target, n: number, beforeResume?: () => void) {
  const setup = await setUp(target);
  const crash = target.crash();
  crash.arm(n);
  const [row] = await deployRevision(setup.api.id, { revisionId: setup.revision.id, environments: [setup.env] }, ctx);
  queueSettings.leaseMs = DOOMED_LEASE_MS;
  const doomed = worker();
  await until(
    () => crash.held,
    (held) => held > 0,
    `a call held after call ${n}`,
  );
  doomed.abandon();
  workers.splice(workers.indexOf(doomed), 1);
  // Whatever the dead worker still tried is held as well, then dropped: it never happened.
  await until(
    async () => {
      const held = crash.held;
      await sleep(150);
      return held === crash.held;
    },
    (quiet) => quiet,
  );
  crash.clear();
  beforeResume?.();
  // The job's lease runs out DOOMED_LEASE_MS after the dead worker's last renewal.
  queueSettings.leaseMs = LIVE_LEASE_MS;
  const survivor = worker();
  const done = await until(
    () => getDeployment(row.id, ctx),
    (d) => d.status === "deployed" || d.status === "failed",
    `the end of the job resumed after call ${n}`,
  );
  return { ...setup, row, done, survivor };
}

describe.each(targets)("a worker killed mid-deployment on $label", (target) => {
  it("leaves exactly one remote API after the job resumes, whichever call it died after, and none after undeploy with delete", async () => {
    const total = await callsOfFirstDeploy(target);
    expect(total).toBeGreaterThan(4);
    for (let n = 0; n < total; n++) {
      const { env, api, row, done, survivor, name, context } = await deployThroughCrash(target, n);
      const where = `${target.label}, worker killed after call ${n} of ${total}`;
      expect(done.status, where).toBe("deployed");
      expect(
        (await getJob(row.jobId!, ctx)).attempts,
        `${where}: ${JSON.stringify(done.steps.map((s) => `${s.step}: ${s.detail ?? ""}`))}`,
      ).toBe(2);
      expect(target.remote({ name, context }), where).toMatchObject({ apis: 1, untagged: 0, perTier: 1 });

      await undeployApi(api.id, env, ctx, { deleteApi: true });
      await until(
        () => getDeployment(row.id, ctx),
        (d) => d.status === "undeployed" || d.status === "failed",
      );
      expect((await getDeployment(row.id, ctx)).status, where).toBe("undeployed");
      expect(target.remote({ name, context }), where).toEqual({ apis: 0, untagged: 0, perTier: 0, other: 0 });
      await survivor.stop();
      workers.splice(workers.indexOf(survivor), 1);
    }
  }, 300_000);

  it("removes what the dead attempt made when the resumed first deployment fails for good", async () => {
    const total = await callsOfFirstDeploy(target);
    for (let n = 1; n < total; n++) {
      const { row, done, survivor, name, context } = await deployThroughCrash(target, n, () => target.breakLastCall());
      target.heal();
      const where = `${target.label}, worker killed after call ${n} of ${total}`;
      expect(done.status, where).toBe("failed");
      expect((await getJob(row.jobId!, ctx)).attempts, where).toBe(2);
      expect(target.remote({ name, context }), where).toEqual({ apis: 0, untagged: 0, perTier: 0, other: 0 });
      await survivor.stop();
      workers.splice(workers.indexOf(survivor), 1);
    }
  }, 300_000);
});
