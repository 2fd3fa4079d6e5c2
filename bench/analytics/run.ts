/**
 * `npx tsx bench/analytics/run.ts`: the analytics figures of issue 9, printed as one table.
 *
 * 1. Ingest: sustained events per second through the real ingest endpoint
 *    (POST /api/gateway/v1/events) of a running Meridian, with its worker rolling up meanwhile,
 *    on the embedded database (PGlite, in BENCH_DATA_DIR, default /tmp/bench-analytics) and on
 *    PostgreSQL (BENCH_DATABASE_URL, default database meridian_bench_ingest on BENCH_PG_URL,
 *    created when missing). The script starts Meridian for each (`npm start` on BENCH_PORT=3304,
 *    no gateway), or uses BENCH_URL when one already runs (then only on that one's database).
 *    BENCH_SENDERS concurrent senders post batches for BENCH_SECONDS, as gateways do (BENCH_FORM:
 *    compact 5,000-event batches by default, or full 1,000-event ones).
 *    BENCH_INGEST=embedded or =postgresql measures one of the two.
 * 2. Dashboard query: on PostgreSQL (database meridian_bench_analytics, created when missing),
 *    30 days × 2,000 groups an hour, about 10 million requests a day (BENCH_REQUESTS_SCALE=30
 *    times the seed's seven requests per group), of roll-ups seeded with
 *    generate_series, then what the admin dashboard asks for "30 days": the summary with its
 *    five top lists and the time series, in parallel as the dashboard sends them, and each alone
 *    (BENCH_QUERY_RUNS times each).
 *
 * 3. Fleet: 1,000 gateways' (BENCH_GATEWAYS) batches of one minute each, in the aggregate form
 *    the built-in gateway sends (per-minute aggregates of 12,000 requests plus a 1% sample),
 *    through the ingest service in this process, then their roll-up; on the embedded database
 *    (a fresh one in BENCH_DATA_DIR-fleet) and on PostgreSQL (database meridian_bench_fleet).
 *    See fleet.ts.
 *
 * BENCH_ONLY=ingest, =query or =fleet runs one part. The load average is printed beside each phase:
 * on a shared two-core machine it moves the figures more than anything else.
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
import { EventBatcher } from "@/lib/domain/gateway/sync/event-shipper";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { getAnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import type { ServiceContext } from "@/lib/services/context";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";
import { isAppError } from "@/lib/errors";
import { benchFleet, type FleetResult } from "./fleet";
import { deriveRollupsSql, seedHourRollupsSql } from "./seed-rollups";

const PORT = Number(process.env.BENCH_PORT ?? 3304);
const BASE_URL = process.env.BENCH_URL ?? `http://127.0.0.1:${PORT}`;
const DATA_DIR = process.env.BENCH_DATA_DIR ?? "/tmp/bench-analytics";
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const QUERY_DB = "meridian_bench_analytics";
const INGEST_DB = "meridian_bench_ingest";
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 15);
const GROUPS_PER_HOUR = Number(process.env.BENCH_GROUPS_PER_HOUR ?? 2000);
const REQUESTS_SCALE = Number(process.env.BENCH_REQUESTS_SCALE ?? 30);
const FLEET_GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 1000);
const FLEET_DB = "meridian_bench_fleet";
const ENVIRONMENT = "bench-ingest";
/**
 * BENCH_FORM=compact (the default) posts batches as the built-in gateway writes them: the
 * compact form, 5,000 events each (its default batch size). BENCH_FORM=full posts 1,000-event
 * batches of the full form, as gateways did before it and as other senders may.
 */
const FORM: "compact" | "full" = process.env.BENCH_FORM === "full" ? "full" : "compact";
const BATCH = FORM === "compact" ? 5000 : 1000;

const admin: ServiceContext = { actor: { id: "usr_bench", email: "bench@bench.local", roles: ["admin"] }, requestId: "bench" };

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
const median = (xs: number[]) => quantile(xs, 0.5);
const load = () => os.loadavg()[0].toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(`${BASE_URL}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(500);
  }
  throw new Error(`Meridian did not answer at ${BASE_URL} within ${timeoutMs / 1000} s.`);
}

function startMeridian(databaseUrl: string | undefined): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    MERIDIAN_DATA_DIR: DATA_DIR,
    MERIDIAN_GATEWAY: "off",
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return spawn("node_modules/.bin/tsx", ["scripts/start.ts"], { env, stdio: ["ignore", "ignore", "inherit"] });
}

/** One batch, pre-serialised, up to its batch id: a sender only adds a fresh one in front. */
async function batchTail(seed: number): Promise<string> {
  const events = batchEvents(seed);
  if (FORM === "full") return `,"events":${JSON.stringify(events)}}`;
  let body = "";
  const batcher = new EventBatcher(
    BATCH,
    60_000,
    async (_id, batch) => {
      body = Buffer.from(batch).toString("utf8");
    },
    { aggregate: false },
  );
  events.forEach((e) => batcher.record(e));
  await batcher.flush();
  return body.slice(body.indexOf(","));
}

/** Gateway events of one batch. */
function batchEvents(seed: number): AnalyticsEvent[] {
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
  return events;
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

interface IngestResult {
  database: string;
  eventsPerSecond: number;
  eventsStored: number;
  seconds: number;
  failedBatches: number;
  batchP50Ms: number;
  batchP99Ms: number;
  rollUpCatchUpSeconds: number;
  load: string;
}

/** Ingest on the embedded database (databaseUrl undefined) or on PostgreSQL. */
async function benchIngest(databaseUrl: string | undefined): Promise<IngestResult> {
  const ownServer = !process.env.BENCH_URL;
  const server = ownServer ? startMeridian(databaseUrl) : undefined;
  try {
    await waitForHealth(15 * 60_000);
    // The bench reaches the server's database as any second process does (see lib/db/embedded.ts).
    if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
    else {
      delete process.env.DATABASE_URL;
      process.env.MERIDIAN_DATA_DIR = DATA_DIR;
    }
    const token = await gatewayToken();
    const bodies = await Promise.all(Array.from({ length: 8 }, (_, i) => batchTail(i)));
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
          body: `{"batchId":"${randomUUID()}"${bodies[i % bodies.length]}`,
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
    const loadDuring = load();
    const drainStart = Date.now();
    while ((await pendingBatches()) > 0 && Date.now() - drainStart < 300_000) await sleep(500);
    return {
      database: `${databaseUrl ? "PostgreSQL" : "embedded (PGlite)"}, ${FORM} batches of ${BATCH.toLocaleString("en")}`,
      eventsPerSecond: Math.round(stored / elapsed),
      eventsStored: stored,
      seconds: Number(elapsed.toFixed(1)),
      failedBatches: failed,
      batchP50Ms: Math.round(median(latencies)),
      batchP99Ms: Math.round(quantile(latencies, 0.99)),
      rollUpCatchUpSeconds: Number(((Date.now() - drainStart) / 1000).toFixed(1)),
      load: loadDuring,
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

async function ensureDatabase(name: string): Promise<string> {
  const admin = postgres(pgUrl("postgres"), { onnotice: () => {}, max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return pgUrl(name);
}

interface Timing {
  medianMs: number;
  p95Ms: number;
}

interface QueryResult {
  eventsSeeded: number;
  eventsInRange: number;
  seedSeconds: number;
  summary: Timing;
  timeseries: Timing;
  dashboard: Timing;
  oneApiDashboard: Timing;
  /** The same dashboard for the shorter presets (hour roll-ups and edges). */
  dashboard7d: Timing;
  dashboard24h: Timing;
  load: string;
}

async function sumOf(table: string): Promise<number> {
  const db = await getDb();
  const [row] = rowsOf<{ n: string | null }>(
    await db.execute(sql`select sum(requests) as n from ${sql.raw(table)} where environment like 'benchq-%'`),
  );
  return Number(row.n ?? 0);
}

/** Seeds 30 days of hour roll-ups and everything derived from them, unless an earlier run left exactly that. */
async function seedQueryData(): Promise<{ events: number; seconds: number }> {
  const db = await getDb();
  const endHour = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const [seeded] = rowsOf<{ n: string; last: string | null }>(
    await db.execute(sql`select count(*) as n, max(bucket) as last from analytics_rollups_hour where environment like 'benchq-%'`),
  );
  const derived = ["analytics_rollups_day", "analytics_rollups_week", "analytics_env_rollups_hour", "analytics_env_rollups_day"];
  const events = await sumOf("analytics_rollups_hour");
  const complete =
    Number(seeded.n) === 30 * 24 * GROUPS_PER_HOUR &&
    new Date(seeded.last ?? 0).getTime() === endHour.getTime() - 3_600_000 &&
    // The seed's requests per group: 6 to 8, times the scale.
    Math.abs(events / (30 * 24 * GROUPS_PER_HOUR * 7 * REQUESTS_SCALE) - 1) < 0.01;
  if (complete && (await Promise.all(derived.map(sumOf))).every((n) => n === events)) return { events, seconds: 0 };
  const t = Date.now();
  for (const table of ["analytics_rollups_hour", ...derived])
    await db.execute(sql`delete from ${sql.raw(table)} where environment like 'benchq-%'`);
  await db.execute(sql.raw(seedHourRollupsSql("benchq", endHour, 30, GROUPS_PER_HOUR, REQUESTS_SCALE)));
  for (const statement of deriveRollupsSql("benchq")) await db.execute(sql.raw(statement));
  for (const table of ["analytics_rollups_hour", ...derived]) await db.execute(sql`vacuum analyze ${sql.raw(table)}`);
  return { events: await sumOf("analytics_rollups_hour"), seconds: Math.round((Date.now() - t) / 1000) };
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { medianMs: Math.round(median(times)), p95Ms: Math.round(quantile(times, 0.95)) };
}

async function benchQuery(): Promise<QueryResult> {
  delete process.env.MERIDIAN_DATA_DIR;
  process.env.DATABASE_URL = await ensureDatabase(QUERY_DB);
  await getDb(); // migrates
  const seed = await seedQueryData();
  // What the admin dashboard sends for "Last 30 days" (see components/analytics).
  const rangeOf = (preset: "30d" | "7d" | "24h") => {
    const range = presetRange(preset, Date.now());
    return { scope: "all" as const, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
  };
  const query = rangeOf("30d");
  const summary = (q = query) =>
    getAnalyticsSummary({ ...q, groupBy: "apiId,operation,applicationId,environment,region", limit: 10 }, admin);
  const series = (q = query) => getAnalyticsTimeseries(q, admin);
  const dashboard = (q = query) => Promise.all([summary(q), series(q)]);
  const oneApi = { ...query, apiId: "api_benchq_3" };
  const oneApiDashboard = () =>
    Promise.all([
      getAnalyticsSummary({ ...oneApi, groupBy: "operation,applicationId,environment,region" }, admin),
      getAnalyticsTimeseries(oneApi, admin),
    ]);
  const first = await summary();
  for (let i = 0; i < 3; i++) await dashboard();
  const loadBefore = load();
  const result = {
    eventsSeeded: seed.events,
    eventsInRange: first.totals.requests,
    seedSeconds: seed.seconds,
    dashboard: await timed(QUERY_RUNS, () => dashboard()),
    summary: await timed(QUERY_RUNS, () => summary()),
    timeseries: await timed(QUERY_RUNS, () => series()),
    oneApiDashboard: await timed(QUERY_RUNS, oneApiDashboard),
    dashboard7d: await timed(QUERY_RUNS, () => dashboard(rangeOf("7d"))),
    dashboard24h: await timed(QUERY_RUNS, () => dashboard(rangeOf("24h"))),
    load: `${loadBefore} → ${load()}`,
  };
  await closeDb();
  return result;
}

const thousands = (n: number) => n.toLocaleString("en-US");

/** The fleet phase on the embedded database (a directory of its own) or on PostgreSQL. */
async function fleetOn(databaseUrl: string | undefined): Promise<FleetResult> {
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  else {
    delete process.env.DATABASE_URL;
    process.env.MERIDIAN_DATA_DIR = `${DATA_DIR}-fleet`;
  }
  const label = databaseUrl ? "PostgreSQL" : "embedded (PGlite)";
  const result = await benchFleet(label, { id: "env_bench_fleet", name: "bench-fleet" }, FLEET_GATEWAYS, SENDERS);
  console.log(`fleet ingest on ${label}: ${result.ingestSeconds} s for ${thousands(result.gateways)} gateway-minutes (load ${load()})`);
  return result;
}

function report(ingest: IngestResult[], query: QueryResult | undefined, fleet: FleetResult[] = []): Array<Record<string, string>> {
  const rows: Array<Record<string, string>> = [];
  for (const f of fleet) {
    rows.push({
      measure: `Fleet ingest, ${f.database}: ${thousands(f.gateways)} gateways' minute aggregates`,
      figure: `${f.ingestSeconds} s (${thousands(f.batchesPerSecond)} batches/s)`,
      target: "< 60 s a minute",
      met: f.ingestSeconds < 60 ? "yes" : "no",
      detail: `${f.rowsPerBatch} aggregate rows + ${f.eventsPerBatch} sampled events per batch (${thousands(f.requestsPerBatch)} requests); batch p50 ${f.batchP50Ms} ms, p99 ${f.batchP99Ms} ms; ingest CPU ${f.ingestCpuSeconds} s (${((f.ingestCpuSeconds / f.gateways) * 1000).toFixed(1)} ms a gateway-minute, ${((f.ingestCpuSeconds * 1e6) / (f.gateways * f.requestsPerBatch)).toFixed(2)} µs a request); roll-up ${f.rollUpSeconds} s (CPU ${f.rollUpCpuSeconds} s); requests counted ${thousands(f.requestsCounted)} of ${thousands(f.gateways * f.requestsPerBatch)}`,
      load: load(),
    });
  }
  for (const r of ingest) {
    rows.push({
      measure: `Ingest, ${r.database}`,
      figure: `${thousands(r.eventsPerSecond)} events/s`,
      target: "≥ 20,000 events/s",
      met: r.eventsPerSecond >= 20_000 ? "yes" : "no",
      detail: `${thousands(r.eventsStored)} events in ${r.seconds} s, ${r.failedBatches} failed; batch p50 ${r.batchP50Ms} ms, p99 ${r.batchP99Ms} ms; roll-up caught up ${r.rollUpCatchUpSeconds} s later`,
      load: r.load,
    });
  }
  if (query) {
    const line = (measure: string, t: Timing, target?: number) => ({
      measure,
      figure: `median ${t.medianMs} ms, p95 ${t.p95Ms} ms`,
      target: target ? `median < ${target} ms` : "",
      met: target ? (t.medianMs < target ? "yes" : "no") : "",
      detail: "",
      load: query.load,
    });
    rows.push({
      measure: "Events seeded (PostgreSQL roll-ups)",
      figure: thousands(query.eventsSeeded),
      target: `≈ ${thousands(Math.round(30 * 24 * GROUPS_PER_HOUR * 7 * REQUESTS_SCALE))} (${thousands(Math.round((24 * GROUPS_PER_HOUR * 7 * REQUESTS_SCALE) / 1e6))} million a day)`,
      met: "",
      detail: `${thousands(query.eventsInRange)} in the 30-day range; seeding took ${query.seedSeconds} s`,
      load: "",
    });
    rows.push(line("30 days: summary + 5 top lists", query.summary));
    rows.push(line("30 days: time series", query.timeseries));
    rows.push({ ...line("30 days: whole dashboard (both in parallel)", query.dashboard, 300), detail: `${QUERY_RUNS} runs each` });
    rows.push(line("30 days: dashboard of one API", query.oneApiDashboard));
    rows.push(line("7 days: whole dashboard", query.dashboard7d));
    rows.push(line("24 hours: whole dashboard", query.dashboard24h));
  }
  return rows;
}

/** A plain text table: one line per measure, columns padded to their widest cell. */
function formatTable(rows: Array<Record<string, string>>): string {
  const columns = ["measure", "figure", "target", "met", "load"];
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const out = [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c])))];
  const notes = rows.filter((r) => r.detail).map((r) => `  ${r.measure}: ${r.detail}`);
  return [...out, "", ...notes].join("\n");
}

async function main() {
  console.log(`Analytics benchmark on ${os.cpus().length} CPUs (load average ${load()} at start)\n`);
  const only = process.env.BENCH_ONLY;
  const ingest: IngestResult[] = [];
  if (!only || only === "ingest") {
    const targets = process.env.BENCH_URL ? [process.env.BENCH_DATABASE_URL] : [];
    if (!process.env.BENCH_URL) {
      if (process.env.BENCH_INGEST !== "postgresql") targets.push(undefined);
      if (process.env.BENCH_INGEST !== "embedded") targets.push(process.env.BENCH_DATABASE_URL ?? (await ensureDatabase(INGEST_DB)));
    }
    for (const target of targets) {
      const result = await benchIngest(target);
      console.log(`ingest on ${result.database}: ${thousands(result.eventsPerSecond)} events/s (load ${result.load})`);
      ingest.push(result);
    }
  }
  const fleet: FleetResult[] = [];
  if (!only || only === "fleet") {
    for (const target of process.env.BENCH_INGEST === "postgresql" ? [] : [undefined]) fleet.push(await fleetOn(target));
    if (process.env.BENCH_INGEST !== "embedded") fleet.push(await fleetOn(await ensureDatabase(FLEET_DB)));
  }
  const query = !only || only === "query" ? await benchQuery() : undefined;
  console.log(`\n${formatTable(report(ingest, query, fleet))}`);
  console.log(`Load average at the end: ${load()}`);
}

main().catch(async (error) => {
  console.error(error);
  await closeDb().catch(() => {});
  process.exit(1);
});
