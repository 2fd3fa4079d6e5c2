/**
 * `npx tsx bench/analytics/run.ts`: the two analytics figures of issue 9.
 *
 * 1. Ingest: sustained events per second through the real ingest endpoint
 *    (POST /api/gateway/v1/events) of a running Meridian, with its worker rolling up meanwhile.
 *    The script starts one (`npm start` with BENCH_PORT=3304, the embedded database in
 *    BENCH_DATA_DIR=/tmp/bench-analytics, no gateway; on PostgreSQL when BENCH_DATABASE_URL is
 *    set), or uses BENCH_URL when one already runs on that database. BENCH_SENDERS concurrent
 *    senders post 1,000-event batches for BENCH_SECONDS, as gateways do.
 * 2. Dashboard query: on PostgreSQL (BENCH_PG_URL, database meridian_bench_analytics, created
 *    when missing), 30 days × 2,000 groups an hour (about 10 million events) of roll-ups seeded
 *    with generate_series, then the dashboard's two queries (summary with five breakdowns and
 *    the time series) for the last 30 days, in parallel as the dashboard sends them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { closeDb, getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { presetRange } from "@/lib/domain/analytics/time-range";
import type { AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { getAnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import { DIMENSION_COLUMNS, MEASURE_COLUMNS, MEASURE_SUMS } from "@/lib/services/analytics/rollup-sql";
import type { ServiceContext } from "@/lib/services/context";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";
import { isAppError } from "@/lib/errors";
import { seedHourRollupsSql } from "./seed-rollups";

const PORT = Number(process.env.BENCH_PORT ?? 3304);
const BASE_URL = process.env.BENCH_URL ?? `http://127.0.0.1:${PORT}`;
const DATA_DIR = process.env.BENCH_DATA_DIR ?? "/tmp/bench-analytics";
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const QUERY_DB = "meridian_bench_analytics";
const GROUPS_PER_HOUR = Number(process.env.BENCH_GROUPS_PER_HOUR ?? 2000);
const ENVIRONMENT = "bench-ingest";
const BATCH = 1000;

const admin: ServiceContext = { actor: { id: "usr_bench", email: "bench@bench.local", roles: ["admin"] }, requestId: "bench" };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(`${BASE_URL}/api/health`).then((r) => r.ok, () => false)) return;
    await sleep(500);
  }
  throw new Error(`Meridian did not answer at ${BASE_URL} within ${timeoutMs / 1000} s.`);
}

function startMeridian(): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), MERIDIAN_DATA_DIR: DATA_DIR, MERIDIAN_GATEWAY: "off", NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-analytics", LOG_LEVEL: "warn", HOST: "127.0.0.1" };
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  else delete env.DATABASE_URL;
  return spawn("node_modules/.bin/tsx", ["scripts/start.ts"], { env, stdio: ["ignore", "ignore", "inherit"] });
}

/** Gateway events of one batch, pre-serialised: a sender only adds a fresh batch id. */
function eventsJson(seed: number): string {
  const now = Date.now();
  const events: AnalyticsEvent[] = [];
  for (let i = 0; i < BATCH; i++) {
    const n = seed * BATCH + i;
    const status = n % 50 === 0 ? 500 : n % 23 === 0 ? 429 : n % 17 === 0 ? 401 : 200;
    events.push({
      id: randomUUID(),
      time: new Date(now - (n % 600) * 1000).toISOString(),
      environment: ENVIRONMENT,
      instanceId: `gw-bench-${n % 4}`,
      region: n % 2 ? "eu-west-1" : "us-east-1",
      apiId: `api_bench_${n % 20}`,
      operation: `GET /items/{id}`,
      applicationId: n % 10 === 0 ? null : `app_bench_${n % 50}`,
      keyType: "production",
      method: "GET",
      path: `/items/${n}`,
      status,
      latencyMs: 1 + (n % 97) * 1.7,
      upstreamLatencyMs: status === 200 ? (n % 97) * 1.5 : null,
      requestBytes: 200 + (n % 300),
      responseBytes: 1000 + (n % 5000),
      ...(status === 200 ? {} : { errorCode: status === 429 ? "rate_limited" : "invalid_token" }),
    });
  }
  return JSON.stringify(events);
}

async function gatewayToken(): Promise<string> {
  try {
    await createEnvironment({ name: ENVIRONMENT, type: "builtin", displayName: "Bench ingest" }, admin);
  } catch (error) {
    // Already there from an earlier run.
    if (!isAppError(error) || (error.code !== "conflict" && !error.fieldErrors?.name)) throw error;
  }
  return (await rotateGatewayToken(ENVIRONMENT, admin)).token;
}

async function pendingBatches(): Promise<number> {
  const db = await getDb();
  return Number(rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from analytics_batches where rolled_up_at is null`))[0].n);
}

async function benchIngest(): Promise<Record<string, number | string>> {
  const ownServer = !process.env.BENCH_URL;
  const server = ownServer ? startMeridian() : undefined;
  try {
    await waitForHealth(15 * 60_000);
    // The bench reaches the server's database as any second process does (see lib/db/embedded.ts).
    if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
    else process.env.MERIDIAN_DATA_DIR = DATA_DIR;
    const token = await gatewayToken();
    const bodies = Array.from({ length: 8 }, (_, i) => eventsJson(i));
    let stopAt = 0;
    let counting = false;
    let stored = 0;
    let failed = 0;
    const latencies: number[] = [];
    const sender = async (k: number) => {
      for (let i = k; Date.now() < stopAt; i += SENDERS) {
        const started = performance.now();
        const res = await fetch(`${BASE_URL}/api/gateway/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: `{"batchId":"${randomUUID()}","events":${bodies[i % bodies.length]}}`,
        });
        await res.arrayBuffer();
        if (!counting) continue;
        latencies.push(performance.now() - started);
        if (res.status === 202) stored += BATCH;
        else failed++;
      }
    };
    // Two seconds of warm-up (compiled routes, connection pools), then the measured run.
    stopAt = Date.now() + 2000;
    await Promise.all(Array.from({ length: SENDERS }, (_, k) => sender(k)));
    counting = true;
    const started = performance.now();
    stopAt = Date.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: SENDERS }, (_, k) => sender(k)));
    const elapsed = (performance.now() - started) / 1000;
    const drainStart = Date.now();
    while ((await pendingBatches()) > 0 && Date.now() - drainStart < 300_000) await sleep(500);
    return {
      database: process.env.BENCH_DATABASE_URL ? "postgresql" : "embedded (PGlite)",
      eventsPerSecond: Math.round(stored / elapsed),
      eventsStored: stored,
      seconds: Number(elapsed.toFixed(1)),
      failedBatches: failed,
      batchP50Ms: Math.round(median(latencies)),
      batchP99Ms: Math.round(quantile(latencies, 0.99)),
      rollUpCatchUpSeconds: Number(((Date.now() - drainStart) / 1000).toFixed(1)),
    };
  } finally {
    await closeDb();
    if (server) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await Promise.race([exited, sleep(10_000)]);
    }
  }
}

function pgUrl(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function ensureQueryDatabase(): Promise<string> {
  const admin = postgres(pgUrl("postgres"), { onnotice: () => {}, max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${QUERY_DB}`;
    if (!exists) await admin.unsafe(`create database ${QUERY_DB}`);
  } finally {
    await admin.end();
  }
  return pgUrl(QUERY_DB);
}

async function benchQuery(): Promise<Record<string, number | string>> {
  delete process.env.MERIDIAN_DATA_DIR;
  process.env.DATABASE_URL = await ensureQueryDatabase();
  const db = await getDb(); // migrates
  const endHour = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const [seeded] = rowsOf<{ n: string; last: string | null }>(await db.execute(sql`select count(*) as n, max(bucket) as last from analytics_rollups_hour where environment like 'benchq-%'`));
  let seedSeconds = 0;
  if (Number(seeded.n) !== 30 * 24 * GROUPS_PER_HOUR || new Date(seeded.last ?? 0).getTime() !== endHour.getTime() - 3_600_000) {
    const t = Date.now();
    await db.execute(sql`delete from analytics_rollups_hour where environment like 'benchq-%'`);
    await db.execute(sql`delete from analytics_rollups_day where environment like 'benchq-%'`);
    await db.execute(sql.raw(seedHourRollupsSql("benchq", endHour, 30, GROUPS_PER_HOUR)));
    // The day roll-ups the worker would have written beside the hour ones.
    const dims = DIMENSION_COLUMNS.join(", ");
    await db.execute(
      sql.raw(`insert into analytics_rollups_day (bucket, ${dims}, ${MEASURE_COLUMNS.join(", ")})
        select date_trunc('day', bucket, 'UTC'), ${dims}, ${MEASURE_SUMS.replace(/ as \w+/g, "")}
        from analytics_rollups_hour where environment like 'benchq-%' group by 1, ${dims}
        on conflict do nothing`),
    );
    await db.execute(sql`vacuum analyze analytics_rollups_hour`);
    await db.execute(sql`vacuum analyze analytics_rollups_day`);
    seedSeconds = Math.round((Date.now() - t) / 1000);
  }
  const range = presetRange("30d", Date.now());
  const query = { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
  const summary = () => getAnalyticsSummary({ ...query, groupBy: "apiId,operation,applicationId,environment,region" }, admin);
  const series = () => getAnalyticsTimeseries(query, admin);
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const first = await summary();
  for (let i = 0; i < 2; i++) await Promise.all([summary(), series()]);
  const dashboard: number[] = [];
  const summaries: number[] = [];
  const serieses: number[] = [];
  const scoped: number[] = [];
  for (let i = 0; i < 7; i++) {
    dashboard.push(await time(() => Promise.all([summary(), series()])));
    summaries.push(await time(summary));
    serieses.push(await time(series));
    scoped.push(await time(() => Promise.all([getAnalyticsSummary({ ...query, apiId: "api_benchq_3", groupBy: "operation,applicationId,environment,region" }, admin), getAnalyticsTimeseries({ ...query, apiId: "api_benchq_3" }, admin)])));
  }
  const [[hourRows], [dayRows]] = await Promise.all([
    db.execute(sql`select count(*) as n from analytics_rollups_hour where environment like 'benchq-%'`).then((r) => rowsOf<{ n: string }>(r)),
    db.execute(sql`select count(*) as n from analytics_rollups_day where environment like 'benchq-%'`).then((r) => rowsOf<{ n: string }>(r)),
  ]);
  await closeDb();
  return {
    database: "postgresql",
    eventsInRange: first.totals.requests,
    hourRollupRows: Number(hourRows.n),
    dayRollupRows: Number(dayRows.n),
    seedSeconds,
    dashboardMedianMs: Math.round(median(dashboard)),
    dashboardMaxMs: Math.round(Math.max(...dashboard)),
    summaryMedianMs: Math.round(median(summaries)),
    timeseriesMedianMs: Math.round(median(serieses)),
    oneApiDashboardMedianMs: Math.round(median(scoped)),
  };
}

async function main() {
  const load = os.loadavg()[0].toFixed(1);
  console.log(`Analytics benchmark on ${os.cpus().length} CPUs (load average ${load} at start)\n`);
  const only = process.env.BENCH_ONLY;
  if (only !== "query") {
    const ingest = await benchIngest();
    console.log("Ingest through POST /api/gateway/v1/events (target ≥ 20,000 events/s):");
    console.table(ingest);
  }
  if (only !== "ingest") {
    const query = await benchQuery();
    console.log("Dashboard query, last 30 days (target < 300 ms):");
    console.table(query);
  }
  console.log(`Load average at the end: ${os.loadavg()[0].toFixed(1)}`);
}

main().catch(async (error) => {
  console.error(error);
  await closeDb().catch(() => {});
  process.exit(1);
});
