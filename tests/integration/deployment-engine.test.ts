import { randomBytes } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFakeConnector, type FakeConnector } from "@/lib/connectors/fake/connector";
import { overrideConnector } from "@/lib/connectors/registry";
import { ConnectorError } from "@/lib/connectors/types";
import { closeDb, getDb } from "@/lib/db/client";
import { apis, deployments, jobs, remoteKeys } from "@/lib/db/schema";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { updateDefinition } from "@/lib/services/apis/update-definition";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { listDeployments } from "@/lib/services/deployments/list-deployments";
import { planDeployment } from "@/lib/services/deployments/plan-deployment";
import { undeployApi } from "@/lib/services/deployments/undeploy-api";
import { discoverEnvironment } from "@/lib/services/discovery/discover-environment";
import { importDiscovered } from "@/lib/services/discovery/import-discovered";
import { listDiscovered } from "@/lib/services/discovery/list-discovered";
import { scheduleDiscovery } from "@/lib/services/discovery/schedule-discovery";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { getJob } from "@/lib/services/jobs/get-job";
import { purgeExpired } from "@/lib/services/maintenance/purge-expired";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { decideSubscription } from "@/lib/services/subscriptions/change-subscription";
import type { ServiceContext } from "@/lib/services/context";
import { userContext } from "../helpers";

let ctx: ServiceContext;
let fake: FakeConnector;
let restore: () => void;
const workers: Worker[] = [];

beforeAll(async () => {
  await getDb();
  await ensureDefaults();
  ctx = await userContext(["admin", "publisher", "subscriber"], "deployer");
  queueSettings.backoffMs = 20;
  queueSettings.pollMs = 20;
});
afterAll(() => closeDb());
afterEach(async () => {
  restore?.();
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

const unique = (label: string) => `${label}-${randomBytes(3).toString("hex")}`;

function worker(): Worker {
  const w = startWorker({ tasks: [], handlers: JOB_HANDLERS, concurrency: 4 });
  workers.push(w);
  return w;
}

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const DOC = (title: string, paths: string[]) =>
  JSON.stringify({
    openapi: "3.0.3",
    info: { title, version: "v1" },
    paths: Object.fromEntries(paths.map((p) => [p, { get: { responses: { "200": { description: "ok" } } } }])),
  });

async function apiWithRevisions(security: "apiKey" | "oauth2" = "apiKey") {
  const api = await createApi(
    {
      definition: DOC("Orders", ["/orders"]),
      context: `/${unique("orders")}`,
      endpoints: { production: "http://127.0.0.1:9/backend", sandbox: null, overrides: {} },
      security: { scheme: security, apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold", "Bronze"],
    },
    ctx,
  );
  const r1 = await createRevision(api.id, { description: "one" }, ctx);
  await updateDefinition(api.id, DOC("Orders", ["/orders", "/orders/all"]), ctx);
  const r2 = await createRevision(api.id, { description: "two" }, ctx);
  return { api, r1, r2 };
}

async function pushEnvironment(mode = "read-write") {
  fake = createFakeConnector("kong");
  restore = overrideConnector(fake);
  const name = unique("kong");
  await createEnvironment(
    { name, type: "kong", mode, displayName: `Kong ${name}`, config: { adminUrl: "http://kong.example.test:8001" } },
    ctx,
  );
  return name;
}

const deploymentIn = async (apiId: string, env: string) => (await listDeployments(apiId, ctx)).find((d) => d.environmentName === env);

describe("deployment engine", () => {
  it("deploys to a pull and a push environment at once: the pull one at once, the push one through a job with live steps", async () => {
    const env = await pushEnvironment();
    const { api, r2 } = await apiWithRevisions();
    const rows = await deployRevision(api.id, { revisionId: r2.id, environments: ["default", env] }, ctx);
    expect(rows.map((r) => r.status).sort()).toEqual(["deployed", "pending"]);
    const pending = rows.find((r) => r.status === "pending")!;
    expect(pending.jobId).toMatch(/^job_/);
    expect(fake.calls.filter((c) => c.method === "deploy")).toHaveLength(0);

    worker();
    const done = await until(
      () => getDeployment(pending.id, ctx),
      (d) => d.status === "deployed",
    );
    expect(done.reference).toMatchObject({
      type: "kong",
      ids: { api: `${env}:${api.id}` },
      revisionNumber: r2.number,
      invokeUrl: `https://fake.example/${env}:${api.id}`,
    });
    expect(done.steps.map((s) => s.step)).toEqual(["Queued", "Attempt 1 started", "Created API", "Published", "Deployed"]);
    expect(done.deployedRevisionId).toBe(r2.id);
    const job = await getJob(pending.jobId!, ctx);
    expect(job).toMatchObject({ status: "succeeded", attempts: 1 });
    // The idempotency key is the same on every attempt of one job.
    expect(fake.calls.find((c) => c.method === "deploy")?.idempotencyKey).toBe(`${pending.id}:${pending.jobId}`);
  });

  it("retries throttling with back-off, then succeeds", async () => {
    const env = await pushEnvironment();
    const { api, r1 } = await apiWithRevisions();
    fake.failNext(
      "deploy",
      new ConnectorError("throttled", "Too many requests (429)."),
      new ConnectorError("unavailable", "Internal error (500)."),
    );
    const [row] = await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
    worker();
    const done = await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "deployed",
    );
    expect(done.steps.filter((s) => s.step.startsWith("Attempt")).map((s) => s.step)).toEqual([
      "Attempt 1 started",
      "Attempt 2 started",
      "Attempt 3 started",
    ]);
    expect((await getJob(row.jobId!, ctx)).attempts).toBe(3);
    expect(fake.remote.size).toBe(1);
  });

  it("fails with the connector's reason on a permanent error and leaves other environments alone", async () => {
    const env = await pushEnvironment();
    const { api, r1 } = await apiWithRevisions();
    fake.failNext("deploy", new ConnectorError("invalid", "The gateway refused the document: paths must not be empty."));
    const rows = await deployRevision(api.id, { revisionId: r1.id, environments: [env, "default"] }, ctx);
    worker();
    const failed = await until(
      () => deploymentIn(api.id, env),
      (d) => d?.status === "failed",
    );
    expect(failed?.error).toBe("The gateway refused the document: paths must not be empty.");
    expect((await getJob(rows[0].jobId!, ctx)).attempts).toBe(1);
    expect((await deploymentIn(api.id, "default"))?.status).toBe("deployed");
  });

  it("gives up after the last attempt of a transient failure", async () => {
    const env = await pushEnvironment();
    const { api, r1 } = await apiWithRevisions();
    fake.failNext("deploy", ...Array.from({ length: 5 }, () => new ConnectorError("timeout", "No answer within 30 s.")));
    const [row] = await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
    worker();
    const failed = await until(
      () => getDeployment(row.id, ctx),
      (d) => d.status === "failed",
    );
    expect(failed.error).toBe("No answer within 30 s.");
    expect(await getJob(row.jobId!, ctx)).toMatchObject({ status: "failed", attempts: 5, errorCode: "timeout" });
  });

  it("redeploys an older revision over a newer one, and undeploys (twice is fine)", async () => {
    const env = await pushEnvironment();
    const { api, r1, r2 } = await apiWithRevisions();
    worker();
    await deployRevision(api.id, { revisionId: r2.id, environments: [env] }, ctx);
    await until(
      () => deploymentIn(api.id, env),
      (d) => d?.status === "deployed" && d.revisionNumber === r2.number,
    );
    await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
    const back = await until(
      () => deploymentIn(api.id, env),
      (d) => d?.status === "deployed" && d.deployedRevisionNumber === r1.number,
    );
    expect(back?.revisionNumber).toBe(r1.number);
    expect([...fake.remote.values()].map((r) => r.revisionNumber)).toEqual([r1.number]);
    expect(Object.keys((fake.remote.values().next().value!.definition as { paths: object }).paths)).toEqual(["/orders"]);

    const row = await undeployApi(api.id, env, ctx);
    expect(row?.status).toBe("undeploying");
    await until(
      () => deploymentIn(api.id, env),
      (d) => d?.status === "undeployed",
    );
    expect(fake.remote.size).toBe(0);
    expect((await undeployApi(api.id, env, ctx))?.status).toBe("undeployed");
  });

  it("resumes a job whose worker died half-way, and completes it once", async () => {
    const lease = queueSettings.leaseMs;
    queueSettings.leaseMs = 600;
    try {
      const env = await pushEnvironment();
      const { api, r1 } = await apiWithRevisions();
      const hold = fake.holdNextDeploy();
      const [row] = await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
      const first = startWorker({ tasks: [], handlers: JOB_HANDLERS });
      await hold.reached;
      first.abandon();
      // The restarted worker claims the job once the dead one's lease has run out.
      worker();
      const done = await until(
        () => getDeployment(row.id, ctx),
        (d) => d.status === "deployed",
      );
      hold.release();
      await new Promise((r) => setTimeout(r, 100));
      const db = await getDb();
      const [job] = await db.select().from(jobs).where(eq(jobs.id, row.jobId!));
      expect(job).toMatchObject({ status: "succeeded", attempts: 2 });
      expect(done.steps.filter((s) => s.step === "Deployed")).toHaveLength(1);
      expect(fake.calls.filter((c) => c.method === "deploy")).toHaveLength(2);
      expect(fake.remote.size).toBe(1);
      expect((await getDeployment(row.id, ctx)).status).toBe("deployed");
    } finally {
      queueSettings.leaseMs = lease;
    }
  });

  it("shows the plan without side effects and refuses a deploy the environment cannot enforce", async () => {
    const env = await pushEnvironment();
    const { api, r1 } = await apiWithRevisions();
    const [builtin, kong] = await planDeployment(api.id, { revisionId: r1.id, environments: ["default", env] }, ctx);
    expect(builtin).toMatchObject({ environmentName: "default", refusals: [], artifacts: [{ kind: "snapshot-api" }] });
    expect(kong).toMatchObject({ environmentName: env, refusals: [], artifacts: [{ kind: "api", format: "json" }] });
    expect(fake.calls.some((c) => c.method === "deploy")).toBe(false);
    fake.refuse([{ feature: "oauth2", reason: "OAuth2 needs an authorizer on this environment." }]);
    await expect(deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/OAuth2 needs an authorizer/),
    });
    expect(await deploymentIn(api.id, env)).toBeUndefined();
  });

  it("installs subscription keys on the gateway and removes them when the subscription is blocked", async () => {
    const env = await pushEnvironment();
    const { api, r1 } = await apiWithRevisions("apiKey");
    await changeLifecycle(api.id, { action: "publish" }, ctx);
    worker();
    await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
    const deployment = await until(
      () => deploymentIn(api.id, env),
      (d) => d?.status === "deployed",
    );
    const app = await createApplication({ name: unique("app") }, ctx);
    const sub = await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, ctx);
    const { key } = await createApiKey(app.id, { name: "ci", keyType: "production" }, ctx);
    await until(
      async () => fake.keys.get(key),
      (k) => k?.tier === "Gold",
    );
    const db = await getDb();
    // The job changes the gateway first and records it after: the record follows shortly.
    const recorded = () => db.select().from(remoteKeys).where(eq(remoteKeys.deploymentId, deployment!.id));
    expect(await until(recorded, (rows) => rows.length === 1)).toHaveLength(1);
    await decideSubscription(sub.id, "block", ctx);
    await until(
      async () => fake.keys.has(key),
      (has) => !has,
    );
    expect(await until(recorded, (rows) => rows.length === 0)).toHaveLength(0);
  });

  it("purges finished jobs after the retention period, except the last job of each deployment", async () => {
    const env = await pushEnvironment();
    const { api, r1, r2 } = await apiWithRevisions();
    worker();
    const [first] = await deployRevision(api.id, { revisionId: r1.id, environments: [env] }, ctx);
    await until(
      () => getDeployment(first.id, ctx),
      (d) => d.status === "deployed",
    );
    const [second] = await deployRevision(api.id, { revisionId: r2.id, environments: [env] }, ctx);
    await until(
      () => getDeployment(second.id, ctx),
      (d) => d.status === "deployed" && d.deployedRevisionId === r2.id,
    );
    const db = await getDb();
    const later = new Date(Date.now() + 31 * 86_400_000);
    await purgeExpired(later);
    const left = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(inArray(jobs.id, [first.jobId!, second.jobId!]));
    expect(left.map((j) => j.id)).toEqual([second.jobId]);
  });

  it("undeploys everywhere when the API is retired", async () => {
    const env = await pushEnvironment();
    const { api, r1 } = await apiWithRevisions();
    worker();
    await deployRevision(api.id, { revisionId: r1.id, environments: [env, "default"] }, ctx);
    await until(
      () => deploymentIn(api.id, env),
      (d) => d?.status === "deployed",
    );
    await changeLifecycle(api.id, { action: "publish" }, ctx);
    await changeLifecycle(api.id, { action: "deprecate" }, ctx);
    await changeLifecycle(api.id, { action: "retire" }, ctx);
    await until(
      () => deploymentIn(api.id, env),
      (d) => d?.status === "undeployed",
    );
    expect(await deploymentIn(api.id, "default")).toBeUndefined();
    expect(fake.remote.size).toBe(0);
  });
});

describe("discovery", () => {
  const listed = (id: string, title: string, paths: string[]) => {
    const definition = JSON.parse(DOC(title, paths)) as Record<string, unknown>;
    return {
      externalId: id,
      name: title,
      version: "v1",
      context: `/${id}`,
      definition,
      upstreams: [`http://upstream.example.test/${id}`],
      contentHash: JSON.stringify(paths),
    };
  };

  it("sorts what runs into New, Updated, Unchanged and Gone, imports once and refuses subscriptions until Meridian deploys it", async () => {
    const env = await pushEnvironment("read-only");
    const a = unique("a");
    const b = unique("b");
    const c = unique("c");
    fake.remote.set(a, listed(a, "Alpha", ["/x"]));
    fake.remote.set(b, listed(b, "Beta", ["/y"]));
    fake.remote.set(c, listed(c, "Gamma", ["/z"]));
    worker();
    const job = await discoverEnvironment(env, ctx);
    await until(
      () => getJob(job.id, ctx),
      (j) => j.status === "succeeded",
    );
    const first = await listDiscovered(env, ctx);
    expect(first.items.map((i) => i.state)).toEqual(["new", "new", "new"]);
    expect(first.lastJob?.result).toMatchObject({ new: 3, total: 3 });

    fake.remote.set(a, listed(a, "Alpha", ["/x", "/x2"]));
    fake.remote.delete(c);
    const second = await discoverEnvironment(env, ctx);
    await until(
      () => getJob(second.id, ctx),
      (j) => j.status === "succeeded",
    );
    const byName = Object.fromEntries((await listDiscovered(env, ctx)).items.map((i) => [i.name, i]));
    expect([byName.Alpha.state, byName.Beta.state, byName.Gamma.state]).toEqual(["updated", "unchanged", "gone"]);
    expect(byName.Alpha.changes?.lines.filter((l) => l.kind === "added").map((l) => l.text.trim())).toContain('"/x2": {');

    const imported = await importDiscovered(env, byName.Alpha.id, ctx);
    expect(imported.created).toBe(true);
    const db = await getDb();
    const [row] = await db.select({ origin: apis.origin }).from(apis).where(eq(apis.id, imported.apiId));
    expect(row.origin).toBe(`discovered:${env}`);
    expect(await importDiscovered(env, byName.Alpha.id, ctx)).toEqual({ apiId: imported.apiId, created: false });

    // Read-only source: it cannot be deployed back there.
    const rev = await createRevision(imported.apiId, {}, ctx);
    await expect(deployRevision(imported.apiId, { revisionId: rev.id, environments: [env] }, ctx)).rejects.toMatchObject({
      code: "conflict",
    });
    await changeLifecycle(imported.apiId, { action: "publish" }, ctx);
    const app = await createApplication({ name: unique("app") }, ctx);
    await expect(createSubscription({ applicationId: app.id, apiId: imported.apiId, tier: "Bronze" }, ctx)).rejects.toMatchObject({
      message: expect.stringMatching(/takes subscriptions once it is deployed through Meridian/),
    });

    // An empty listing still flags everything as gone.
    fake.remote.clear();
    const third = await discoverEnvironment(env, ctx);
    await until(
      () => getJob(third.id, ctx),
      (j) => j.status === "succeeded",
    );
    expect((await listDiscovered(env, ctx)).items.map((i) => i.state)).toEqual(["gone", "gone", "gone"]);
  });

  it("queues discovery on each environment's interval, once per interval", async () => {
    fake = createFakeConnector("kong");
    restore = overrideConnector(fake);
    const name = unique("kong-sched");
    await createEnvironment(
      {
        name,
        type: "kong",
        mode: "read-only",
        displayName: name,
        discoveryIntervalMinutes: 5,
        config: { adminUrl: "http://kong.example.test:8001" },
      },
      ctx,
    );
    const db = await getDb();
    const now = new Date();
    expect(await scheduleDiscovery(now)).toBeGreaterThanOrEqual(1);
    const forEnv = async () => (await listDiscovered(name, ctx)).lastJob?.id;
    const firstJob = await forEnv();
    expect(firstJob).toMatch(/^job_/);
    await db.update(jobs).set({ status: "succeeded" }).where(eq(jobs.id, firstJob!));
    // Within the interval: nothing new for this environment.
    await scheduleDiscovery(new Date(now.getTime() + 60_000));
    expect(await forEnv()).toBe(firstJob);
    // Once the interval has passed, the next one is queued.
    await scheduleDiscovery(new Date(now.getTime() + 6 * 60_000));
    expect(await forEnv()).not.toBe(firstJob);
  });

  it("refuses to discover a write-only environment", async () => {
    const env = await pushEnvironment("write-only");
    await expect(discoverEnvironment(env, ctx)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/write-only/) });
    const db = await getDb();
    expect(
      await db
        .select()
        .from(deployments)
        .where(and(eq(deployments.status, "pending"), eq(deployments.createdBy, "nobody"))),
    ).toHaveLength(0);
  });
});
