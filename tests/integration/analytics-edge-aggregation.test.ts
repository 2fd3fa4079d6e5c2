import fs from "node:fs";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type RunningGateway } from "@/gateway/gateway";
import { startBackend } from "@/gateway/tests/support/backend";
import { FakeControlPlane } from "@/gateway/tests/support/fake-control-plane";
import { tempDir, testConfig, waitFor } from "@/gateway/tests/support/harness";
import { closeDb, getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { environments } from "@/lib/db/schema";
import { bucketIndex, bucketRange } from "@/lib/domain/analytics/histogram";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";
import { rollUpEvents } from "@/lib/services/analytics/roll-up-events";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { issueClientCredentialsToken } from "@/lib/services/keys/issue-token";
import { buildSnapshot } from "@/lib/services/snapshots/build-snapshot";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { adminCtx, userContext } from "../helpers";

/**
 * Edge aggregation end to end: load through the real built-in gateway (JWT-secured API), its
 * aggregate batches delivered to the control plane's real ingest on the test database, and the
 * counts read back through the dashboards' summary query, before and after the roll-up.
 */

const PETS = {
  openapi: "3.0.3",
  info: { title: "Pets", version: "1.0.0" },
  paths: { "/pets": { get: { responses: { "200": { description: "ok" } } } } },
};

let cp: FakeControlPlane;
let backend: Awaited<ReturnType<typeof startBackend>>;
const cacheDirs: string[] = [];
const gateways = new Set<RunningGateway>();
const apis: Record<"zero" | "full" | "restart", { id: string; context: string }> = {} as never;
let token = "";
let environment: { id: string; name: string };

beforeAll(async () => {
  await ensureDefaults();
  const publisher = await userContext(["publisher"], "edge-pub");
  const consumer = await userContext(["subscriber"], "edge-sub");
  backend = await startBackend();
  const app = await createApplication({ name: "edge-aggregation" }, consumer);
  for (const key of ["zero", "full", "restart"] as const) {
    const api = await createApi(
      {
        name: `Edge ${key}`,
        version: "v1",
        context: `/edge${key}${Date.now().toString(36)}`,
        definition: JSON.stringify(PETS),
        endpoints: { production: `${backend.url}/pets`, sandbox: null, overrides: {} },
        security: { scheme: "oauth2", apiKeyHeader: "apikey" },
        allowedTiers: ["Unlimited"],
      },
      publisher,
    );
    await changeLifecycle(api.id, { action: "publish" }, publisher);
    const revision = await createRevision(api.id, { description: "edge" }, publisher);
    await deployRevision(api.id, { revisionId: revision.id, environments: ["default"] }, publisher);
    await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Unlimited" }, consumer);
    apis[key] = { id: api.id, context: api.context };
  }
  const db = await getDb();
  const [env] = await db.select().from(environments).where(eq(environments.name, "default"));
  environment = { id: env.id, name: env.name };
  const creds = await generateClientCredentials(app.id, {}, consumer);
  token = (await issueClientCredentialsToken({ grantType: "client_credentials", ...creds })).access_token;
  cp = new FakeControlPlane();
  cp.ingest = (body) => ingestEvents(environment, body);
  await cp.start();
  cp.publish(await buildSnapshot(env.id));
}, 120_000);

afterAll(async () => {
  for (const g of gateways) await g.stop();
  await cp?.stop();
  await backend?.close();
  for (const dir of cacheDirs) fs.rmSync(dir, { recursive: true, force: true });
  await closeDb();
});

async function gatewayWith(eventSample: number, cacheDir: string): Promise<RunningGateway> {
  const gateway = await startGateway(testConfig(cp, cacheDir, { environment: "default", eventSample, instanceId: "gw-edge" }));
  gateways.add(gateway);
  await waitFor(() => gateway.appliedVersion() !== null);
  return gateway;
}

/** `count` requests, `concurrency` at a time; every `errorEvery`-th without a token (401). Returns the 401s. */
async function load(gateway: RunningGateway, context: string, count: number, errorEvery = 10, concurrency = 16): Promise<number> {
  let next = 0;
  let refused = 0;
  const one = async () => {
    while (next < count) {
      const i = next++;
      const anonymous = i % errorEvery === 0;
      const res = await fetch(`${gateway.url}${context}/v1/pets`, { headers: anonymous ? {} : { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      expect(res.status).toBe(anonymous ? 401 : 200);
      if (anonymous) refused++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, one));
  return refused;
}

async function summary(apiId: string) {
  const now = Date.now();
  return (
    await getAnalyticsSummary({ apiId, from: new Date(now - 3_600_000), to: new Date(now + 60_000), scope: "all" }, adminCtx, new Date(now))
  ).totals;
}

async function stopGateway(gateway: RunningGateway): Promise<void> {
  await gateway.stop();
  gateways.delete(gateway);
}

async function rawEventCount(apiId: string): Promise<number> {
  const db = await getDb();
  const [row] = rowsOf<{ n: string | number }>(await db.execute(sql`select count(*) as n from analytics_events where api_id = ${apiId}`));
  return Number(row.n);
}

describe("edge aggregation through the built-in gateway", () => {
  it("counts every request exactly with a 0% sample: only the errors arrive as raw events", async () => {
    const dir = tempDir();
    cacheDirs.push(dir);
    const gateway = await gatewayWith(0, dir);
    const sent = 1_500;
    const refused = await load(gateway, apis.zero.context, sent);
    // Delivered by the running gateway (a batch handed over at a stop would stay in its spool).
    await waitFor(async () => (await summary(apis.zero.id)).requests === sent, 15_000);
    await stopGateway(gateway);
    const before = await summary(apis.zero.id);
    expect(before).toMatchObject({ requests: sent, status2xx: sent - refused, status4xx: refused, status401: refused });
    expect(await rawEventCount(apis.zero.id)).toBe(refused);
    await rollUpEvents();
    expect(await summary(apis.zero.id)).toMatchObject({ requests: sent, status2xx: sent - refused, status401: refused });
  }, 120_000);

  it("counts every request exactly with a 100% sample, raw events not counted twice, percentiles within bucket error", async () => {
    const dir = tempDir();
    cacheDirs.push(dir);
    const gateway = await gatewayWith(1, dir);
    const sent = 1_500;
    const refused = await load(gateway, apis.full.context, sent);
    // Delivered by the running gateway (a batch handed over at a stop would stay in its spool).
    await waitFor(async () => (await summary(apis.full.id)).requests === sent, 15_000);
    await stopGateway(gateway);
    expect(await rawEventCount(apis.full.id)).toBe(sent);
    expect(await summary(apis.full.id)).toMatchObject({ requests: sent, status4xx: refused });
    await rollUpEvents();
    const totals = await summary(apis.full.id);
    expect(totals).toMatchObject({ requests: sent, status2xx: sent - refused, status4xx: refused });

    // Percentiles from the aggregates' histograms against the exact ones from every raw event.
    const db = await getDb();
    const latencies = rowsOf<{ latency_ms: number }>(
      await db.execute(sql`select latency_ms from analytics_events where api_id = ${apis.full.id} order by latency_ms`),
    ).map((r) => Number(r.latency_ms));
    for (const [q, estimate] of [
      [0.5, totals.latencyP50Ms],
      [0.95, totals.latencyP95Ms],
      [0.99, totals.latencyP99Ms],
    ] as const) {
      const exact = latencies[Math.ceil(q * latencies.length) - 1];
      const [lower, upper] = bucketRange(bucketIndex(exact), totals.latencyMaxMs ?? undefined);
      expect(estimate).not.toBeNull();
      expect(estimate!).toBeGreaterThanOrEqual(lower);
      expect(estimate!).toBeLessThanOrEqual(upper);
    }
  }, 120_000);

  it("neither loses nor double-counts a minute split by a stop and a restart, through a spool and a lost answer", async () => {
    // Start early in a minute, so that both runs of the gateway fall in the same one.
    const second = new Date().getUTCSeconds();
    if (second > 30) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const dir = tempDir();
    cacheDirs.push(dir);
    let gateway = await gatewayWith(0.01, dir);
    await load(gateway, apis.restart.context, 300);
    // The control plane fails: the rest of this run's aggregates are spooled on disk at the stop.
    cp.failEvents = true;
    await load(gateway, apis.restart.context, 200);
    await stopGateway(gateway);
    const spooled = fs.readdirSync(`${dir}/default/events/gw-edge`).filter((f) => f.endsWith(".json"));
    expect(spooled.length).toBeGreaterThan(0);

    // Back up, but the answer to the first delivery is lost: the batch is sent again, under its id.
    cp.failEvents = false;
    cp.loseAnswers = 1;
    const deliveriesBefore = cp.deliveries.length;
    gateway = await gatewayWith(0.01, dir);
    await load(gateway, apis.restart.context, 250);
    const lastMinute = Math.floor(Date.now() / 60_000) * 60_000;
    // The spooled batches go out after the retry's back-off, beside the new run's.
    await waitFor(async () => (await summary(apis.restart.id)).requests >= 750, 20_000);
    await stopGateway(gateway);
    const resent = cp.deliveries.slice(deliveriesBefore);
    expect(resent.length).toBeGreaterThan(new Set(resent).size);
    expect((await summary(apis.restart.id)).requests).toBe(750);

    await rollUpEvents();
    expect((await summary(apis.restart.id)).requests).toBe(750);
    const db = await getDb();
    const rows = rowsOf<{ bucket: string; n: string | number }>(
      await db.execute(
        sql`select bucket, sum(requests) as n from analytics_rollups_minute where api_id = ${apis.restart.id} group by bucket`,
      ),
    );
    // Both runs' aggregates of the minute merged into one row set (a slow machine may cross into the next minute).
    if (lastMinute === minute) expect(rows.map((r) => [new Date(r.bucket).getTime(), Number(r.n)])).toEqual([[minute, 750]]);
    else expect(rows.reduce((n, r) => n + Number(r.n), 0)).toBe(750);
  }, 180_000);
});
