import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { bucketIndex, bucketRange } from "@/lib/domain/analytics/histogram";
import { floorToUnit } from "@/lib/domain/analytics/range-cover";
import type { AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import { startWorker } from "@/lib/jobs/worker";
import { applyAnalyticsRetention } from "@/lib/services/analytics/apply-retention";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { getAnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";
import { rollUpEvents } from "@/lib/services/analytics/roll-up-events";
import { rollUpBatches } from "@/lib/services/analytics/rollup-sql";
import { adminCtx } from "../helpers";
import { batchOf, event, rollupRows, storedCounts, uniqueEnvironment } from "./analytics-support";

// Opening (and migrating) the embedded database is the slow part; it belongs to no test.
beforeAll(() => getDb(), 120_000);
afterAll(() => closeDb());
const restoreEnv: Array<() => void> = [];
afterEach(() => restoreEnv.splice(0).forEach((r) => r()));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A whole hour two hours back: inside raw retention, and closed. */
const BASE = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
const at = (minute: number, second = 0) => new Date(BASE + minute * MINUTE + second * 1000).toISOString();

/** What the roll-up must hold, computed the slow way from the events. */
function expectedRollup(events: AnalyticsEvent[], unit: number | ((time: number) => number)) {
  const bucketOf = typeof unit === "number" ? (t: number) => Math.floor(t / unit) * unit : unit;
  const groups = new Map<
    string,
    {
      bucket: string;
      api_id: string;
      application_id: string;
      status_class: number;
      requests: number;
      status_401: number;
      status_403: number;
      status_429: number;
      request_bytes: number;
      response_bytes: number;
    }
  >();
  for (const e of events) {
    const bucket = new Date(bucketOf(Date.parse(e.time))).toISOString();
    const key = [bucket, e.apiId, e.applicationId ?? "", Math.floor(e.status / 100)].join("|");
    const g = groups.get(key) ?? {
      bucket,
      api_id: e.apiId,
      application_id: e.applicationId ?? "",
      status_class: Math.floor(e.status / 100),
      requests: 0,
      status_401: 0,
      status_403: 0,
      status_429: 0,
      request_bytes: 0,
      response_bytes: 0,
    };
    g.requests++;
    if (e.status === 401) g.status_401++;
    if (e.status === 403) g.status_403++;
    if (e.status === 429) g.status_429++;
    g.request_bytes += e.requestBytes;
    g.response_bytes += e.responseBytes;
    groups.set(key, g);
  }
  return [...groups.values()].sort(
    (a, b) =>
      a.bucket.localeCompare(b.bucket) ||
      a.api_id.localeCompare(b.api_id) ||
      a.application_id.localeCompare(b.application_id) ||
      a.status_class - b.status_class,
  );
}

/** The environment roll-ups must hold the same sums by bucket × region × status class. */
function expectedEnvironmentRollup(events: AnalyticsEvent[], unit: number) {
  const groups = new Map<
    string,
    { bucket: string; region: string; status_class: number; requests: number; status_429: number; response_bytes: number }
  >();
  for (const e of events) {
    const bucket = new Date(Math.floor(Date.parse(e.time) / unit) * unit).toISOString();
    const key = [bucket, e.region ?? "", Math.floor(e.status / 100)].join("|");
    const g = groups.get(key) ?? {
      bucket,
      region: e.region ?? "",
      status_class: Math.floor(e.status / 100),
      requests: 0,
      status_429: 0,
      response_bytes: 0,
    };
    g.requests++;
    if (e.status === 429) g.status_429++;
    g.response_bytes += e.responseBytes;
    groups.set(key, g);
  }
  return [...groups.values()].sort(
    (a, b) => a.bucket.localeCompare(b.bucket) || a.region.localeCompare(b.region) || a.status_class - b.status_class,
  );
}

const pickEnvironment = (rows: Array<Record<string, unknown>>) =>
  rows.map((r) => ({
    bucket: r.bucket,
    region: r.region,
    status_class: r.status_class,
    requests: r.requests,
    status_429: r.status_429,
    response_bytes: r.response_bytes,
  }));

const pick = (rows: Array<Record<string, unknown>>) =>
  rows.map((r) => ({
    bucket: r.bucket,
    api_id: r.api_id,
    application_id: r.application_id,
    status_class: r.status_class,
    requests: r.requests,
    status_401: r.status_401,
    status_403: r.status_403,
    status_429: r.status_429,
    request_bytes: r.request_bytes,
    response_bytes: r.response_bytes,
  }));

function trafficFor(env: string): AnalyticsEvent[] {
  const statuses = [200, 200, 201, 304, 401, 403, 429, 404, 500, 503];
  const events: AnalyticsEvent[] = [];
  for (let i = 0; i < 90; i++) {
    events.push(
      event(env, {
        time: at(i % 3, i % 50),
        apiId: i % 2 ? "api_pets" : "api_orders",
        operation: i % 2 ? "GET /pets" : "POST /orders",
        applicationId: i % 5 === 0 ? null : i % 3 ? "app_one" : "app_two",
        status: statuses[i % statuses.length],
        latencyMs: 1 + (i % 17) * 13,
        requestBytes: 10 + i,
        responseBytes: 100 * i,
      }),
    );
  }
  return events;
}

describe("analytics roll-ups", () => {
  it("gives exactly the expected counts and sums per group and time bucket, before and after the roll-up", async () => {
    const env = uniqueEnvironment();
    const events = trafficFor(env.name);
    await ingestEvents(env, batchOf(events.slice(0, 40)));
    await ingestEvents(env, batchOf(events.slice(40)));

    const query = {
      environment: env.name,
      from: new Date(BASE),
      to: new Date(BASE + 3 * MINUTE),
      interval: "minute" as const,
      groupBy: "apiId" as const,
    };
    const before = await getAnalyticsTimeseries(query, adminCtx);
    await rollUpEvents();
    expect(pick(await rollupRows("analytics_rollups_minute", env.name))).toEqual(expectedRollup(events, MINUTE));
    expect(pick(await rollupRows("analytics_rollups_hour", env.name))).toEqual(expectedRollup(events, HOUR));
    expect(pick(await rollupRows("analytics_rollups_day", env.name))).toEqual(expectedRollup(events, 24 * HOUR));
    expect(pick(await rollupRows("analytics_rollups_week", env.name))).toEqual(expectedRollup(events, (t) => floorToUnit(t, "week")));
    for (const [unit, ms] of [
      ["minute", MINUTE],
      ["hour", HOUR],
      ["day", 24 * HOUR],
    ] as const) {
      expect(pickEnvironment(await rollupRows(`analytics_env_rollups_${unit}`, env.name))).toEqual(expectedEnvironmentRollup(events, ms));
    }

    const after = await getAnalyticsTimeseries(query, adminCtx);
    expect(after).toEqual(before);
    expect(after.points.map((p) => p.requests)).toEqual([30, 30, 30]);
    const pets = after.series.find((s) => s.key === "api_pets")!;
    expect(pets.points.reduce((n, p) => n + p.requests, 0)).toBe(45);

    const summary = await getAnalyticsSummary(
      {
        environment: env.name,
        from: new Date(BASE).toISOString(),
        to: new Date(BASE + HOUR).toISOString(),
        groupBy: "applicationId,statusClass,operation",
      } as never,
      adminCtx,
    );
    expect(summary.totals).toMatchObject({
      requests: 90,
      status401: 9,
      status403: 9,
      status429: 9,
      status2xx: 27,
      status3xx: 9,
      status4xx: 36,
      status5xx: 18,
      errors: 54,
      errorRate: 0.6,
    });
    expect(summary.totals.requestBytes).toBe(events.reduce((n, e) => n + e.requestBytes, 0));
    expect(summary.totals.responseBytes).toBe(events.reduce((n, e) => n + e.responseBytes, 0));
    const apps = Object.fromEntries(summary.breakdowns.applicationId!.map((g) => [g.key, g.requests]));
    expect(apps).toEqual({
      app_one: events.filter((e) => e.applicationId === "app_one").length,
      app_two: events.filter((e) => e.applicationId === "app_two").length,
      "": 18,
    });
    expect(summary.breakdowns.operation!.find((g) => g.apiId === "api_pets")).toMatchObject({ key: "api_pets GET /pets", requests: 45 });

    const errorsOnly = await getAnalyticsSummary(
      { environment: env.name, from: new Date(BASE), to: new Date(BASE + HOUR), statusClass: "5xx", apiId: "api_pets" },
      adminCtx,
    );
    expect(errorsOnly.totals.requests).toBe(events.filter((e) => e.status >= 500 && e.apiId === "api_pets").length);
  });

  it("estimates p50/p95/p99 within the histogram bucket of the true value", async () => {
    const env = uniqueEnvironment();
    const latencies = Array.from({ length: 1000 }, (_, i) => Math.round(Math.exp((i % 97) / 12) * 10) / 10);
    await ingestEvents(env, batchOf(latencies.map((latencyMs, i) => event(env.name, { latencyMs, time: at(10 + (i % 30)) }))));
    await rollUpEvents();
    const { totals } = await getAnalyticsSummary({ environment: env.name, from: new Date(BASE), to: new Date(BASE + HOUR) }, adminCtx);
    const sorted = [...latencies].sort((a, b) => a - b);
    const max = sorted[sorted.length - 1];
    for (const [q, value] of [
      [0.5, totals.latencyP50Ms],
      [0.95, totals.latencyP95Ms],
      [0.99, totals.latencyP99Ms],
    ] as const) {
      const truth = sorted[Math.ceil(q * sorted.length) - 1];
      const [lower, upper] = bucketRange(bucketIndex(truth), max);
      expect(value!).toBeGreaterThanOrEqual(lower);
      expect(value!).toBeLessThanOrEqual(upper);
    }
    expect(totals.latencyMaxMs).toBeCloseTo(max, 1);
    expect(totals.latencyAvgMs).toBeCloseTo(latencies.reduce((a, b) => a + b, 0) / latencies.length, 1);
  });

  it("answers a 30-day range from weeks, days and environment roll-ups exactly as from the raw events", async () => {
    const env = uniqueEnvironment();
    const DAY = 24 * HOUR;
    const now = Date.now();
    const events = Array.from({ length: 120 }, (_, i) =>
      event(env.name, {
        time: new Date(now - (i % 40) * DAY - (i % 7) * HOUR).toISOString(),
        apiId: i % 3 ? "api_pets" : "api_orders",
        region: i % 4 ? "eu-west-1" : "us-east-1",
        status: [200, 201, 404, 429, 503][i % 5],
        latencyMs: 1 + ((i * 37) % 900),
        responseBytes: 10 * i,
      }),
    );
    await ingestEvents(env, batchOf(events));
    const from = new Date(Math.floor((now - 30 * DAY) / DAY) * DAY);
    const inRange = events.filter((e) => Date.parse(e.time) >= from.getTime());
    const read = async () => {
      const byApi = await getAnalyticsSummary({ environment: env.name, from, to: new Date(now), groupBy: "apiId" }, adminCtx);
      const totalsOnly = await getAnalyticsSummary({ environment: env.name, from, to: new Date(now) }, adminCtx);
      const daily = await getAnalyticsTimeseries({ environment: env.name, from, to: new Date(now) }, adminCtx);
      const dailyByApi = await getAnalyticsTimeseries({ environment: env.name, from, to: new Date(now), groupBy: "apiId" }, adminCtx);
      return { byApi, totalsOnly, daily, dailyByApi };
    };
    const raw = await read();
    await rollUpEvents();
    const rolled = await read();
    expect(rolled).toEqual(raw);

    // Full roll-ups read as weeks plus edge days, environment roll-ups as days: one answer.
    expect(rolled.byApi.interval).toBe("day");
    expect(rolled.byApi.totals).toEqual(rolled.totalsOnly.totals);
    expect(rolled.byApi.totals).toMatchObject({
      requests: inRange.length,
      status5xx: inRange.filter((e) => e.status >= 500).length,
      status429: inRange.filter((e) => e.status === 429).length,
      responseBytes: inRange.reduce((n, e) => n + e.responseBytes, 0),
      latencyMaxMs: Math.max(...inRange.map((e) => e.latencyMs)),
    });
    expect(Object.fromEntries(rolled.byApi.breakdowns.apiId!.map((g) => [g.key, g.requests]))).toEqual({
      api_pets: inRange.filter((e) => e.apiId === "api_pets").length,
      api_orders: inRange.filter((e) => e.apiId === "api_orders").length,
    });
    expect(rolled.daily.points).toEqual(rolled.dailyByApi.points);
    expect(rolled.daily.points.reduce((n, p) => n + p.requests, 0)).toBe(inRange.length);
    for (const p of rolled.daily.points) {
      const day = Date.parse(p.time);
      expect(p.requests).toBe(inRange.filter((e) => Date.parse(e.time) >= day && Date.parse(e.time) < day + DAY).length);
    }
  });

  it("counts late events and an interrupted roll-up exactly once, and a worker restart changes nothing", async () => {
    const env = uniqueEnvironment();
    const first = trafficFor(env.name);
    await ingestEvents(env, batchOf(first));
    await rollUpEvents();
    const late = trafficFor(env.name).map((e) => ({ ...e, time: at(1, 7) }));
    await ingestEvents(env, batchOf(late));

    // A worker that dies in the middle of a roll-up: its transaction never commits.
    const db = await getDb();
    await expect(
      db.transaction(async (tx) => {
        const rows = await tx.execute(sql`select seq from analytics_batches where rolled_up_at is null and environment_id = ${env.id}`);
        const seqs = `{${(Array.isArray(rows) ? rows : (rows as { rows: Array<{ seq: number }> }).rows).map((r) => r.seq).join(",")}}`;
        await tx.execute(rollUpBatches(seqs));
        throw new Error("worker killed");
      }),
    ).rejects.toThrow("worker killed");

    const worker = startWorker([{ name: "analytics-roll-up", everyMs: 50, run: () => rollUpEvents() }]);
    await new Promise((r) => setTimeout(r, 1500));
    await worker.stop();
    const expected = expectedRollup([...first, ...late], MINUTE);
    const afterFirstRun = pick(await rollupRows("analytics_rollups_minute", env.name));
    expect(afterFirstRun).toEqual(expected);

    const restarted = startWorker([{ name: "analytics-roll-up", everyMs: 50, run: () => rollUpEvents() }]);
    await new Promise((r) => setTimeout(r, 1300));
    await restarted.stop();
    expect(pick(await rollupRows("analytics_rollups_minute", env.name))).toEqual(afterFirstRun);
    expect(pick(await rollupRows("analytics_rollups_hour", env.name))).toEqual(expectedRollup([...first, ...late], HOUR));
    expect(pick(await rollupRows("analytics_rollups_day", env.name))).toEqual(expectedRollup([...first, ...late], 24 * HOUR));
    expect(pickEnvironment(await rollupRows("analytics_env_rollups_hour", env.name))).toEqual(
      expectedEnvironmentRollup([...first, ...late], HOUR),
    );
  });

  it("removes only what is older than its retention, and never events not yet rolled up", async () => {
    const env = uniqueEnvironment();
    const DAY = 24 * HOUR;
    const now = Date.now();
    const old = event(env.name, { time: new Date(now - 10 * DAY).toISOString(), apiId: "api_old" });
    const recent = event(env.name, { time: new Date(now - DAY).toISOString(), apiId: "api_recent" });
    const ancient = event(env.name, { time: new Date(now - 20 * DAY).toISOString(), apiId: "api_ancient" });
    await ingestEvents(env, batchOf([old, recent]));
    await rollUpEvents();
    // Stored after the roll-up ran: still pending, so retention must keep it.
    await ingestEvents(env, batchOf([ancient]));

    await applyAnalyticsRetention(new Date(now));
    const db = await getDb();
    const apiIds = async (table: string) => {
      const result = await db.execute(sql`select distinct api_id from ${sql.raw(table)} where environment = ${env.name} order by api_id`);
      return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows).map((r) => (r as { api_id: string }).api_id);
    };
    expect(await apiIds("analytics_events")).toEqual(["api_ancient", "api_recent"]);
    expect(await apiIds("analytics_rollups_hour")).toEqual(["api_old", "api_recent"]);

    await rollUpEvents();
    process.env.MERIDIAN_ANALYTICS_ROLLUP_RETENTION_DAYS = "15";
    restoreEnv.push(() => delete process.env.MERIDIAN_ANALYTICS_ROLLUP_RETENTION_DAYS);
    await applyAnalyticsRetention(new Date(now));
    expect(await apiIds("analytics_events")).toEqual(["api_recent"]);
    expect(await apiIds("analytics_rollups_hour")).toEqual(["api_old", "api_recent"]);
    expect(await apiIds("analytics_rollups_minute")).toEqual(["api_old", "api_recent"]);
    expect(await apiIds("analytics_rollups_day")).toEqual(["api_old", "api_recent"]);
    expect(await apiIds("analytics_rollups_week")).toEqual(["api_ancient", "api_old", "api_recent"]);

    // Weeks go only once every one of their days is past retention.
    process.env.MERIDIAN_ANALYTICS_ROLLUP_RETENTION_DAYS = "5";
    await applyAnalyticsRetention(new Date(now));
    expect(await apiIds("analytics_rollups_day")).toEqual(["api_recent"]);
    const buckets = async (table: string) => {
      const result = await db.execute(sql`select distinct bucket from ${sql.raw(table)} where environment = ${env.name} order by bucket`);
      return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows).map((r) =>
        new Date((r as { bucket: string }).bucket).toISOString(),
      );
    };
    expect(await buckets("analytics_env_rollups_day")).toEqual(await buckets("analytics_rollups_day"));
    expect(await buckets("analytics_env_rollups_day")).toHaveLength(1);
    const weeks = await apiIds("analytics_rollups_week");
    expect(weeks).toContain("api_recent");
    expect(weeks).not.toContain("api_ancient");
    expect((await storedCounts(env.name)).events).toBe(1);
  });
});

describe("analytics ingest", () => {
  it("stores a batch delivered twice once", async () => {
    const env = uniqueEnvironment();
    const batch = batchOf([event(env.name), event(env.name, { status: 500 })]);
    expect(await ingestEvents(env, batch)).toEqual({ stored: 2, duplicate: false });
    expect(await ingestEvents(env, batch)).toEqual({ stored: 0, duplicate: true });
    await rollUpEvents();
    expect(await ingestEvents(env, batch)).toEqual({ stored: 0, duplicate: true });
    await rollUpEvents();
    const { totals } = await getAnalyticsSummary({ environment: env.name, from: new Date(Date.now() - HOUR), to: new Date() }, adminCtx);
    expect(totals.requests).toBe(2);
    expect(await storedCounts(env.name, batch.batchId)).toEqual({ events: 2, batches: 1 });
  });

  it("stores a batch delivered twice at the same moment once", async () => {
    const env = uniqueEnvironment();
    const batch = batchOf(Array.from({ length: 50 }, () => event(env.name)));
    const results = await Promise.all([ingestEvents(env, batch), ingestEvents(env, batch), ingestEvents(env, batch)]);
    expect(results.filter((r) => !r.duplicate)).toEqual([{ stored: 50, duplicate: false }]);
    expect(await storedCounts(env.name, batch.batchId)).toEqual({ events: 50, batches: 1 });
  });

  it("refuses a malformed batch whole and stores none of it", async () => {
    const env = uniqueEnvironment();
    const events = [event(env.name), event(env.name), { ...event(env.name), status: 42 }];
    const batch = batchOf(events as AnalyticsEvent[]);
    await expect(ingestEvents(env, batch)).rejects.toMatchObject({
      code: "validation_failed",
      status: 400,
      fieldErrors: { "events.2.status": expect.any(String) },
    });
    await expect(ingestEvents(env, batchOf([event("someone-else")]))).rejects.toMatchObject({ code: "forbidden" });
    expect(await storedCounts(env.name, batch.batchId)).toEqual({ events: 0, batches: 0 });
  });

  it("stores strings that need quoting in arrays as they were sent", async () => {
    const env = uniqueEnvironment();
    const path = '/a "quoted", {braced} \\ path NULL';
    await ingestEvents(
      env,
      batchOf([
        event(env.name, { path, region: null, operation: null, applicationId: null, upstreamLatencyMs: null, errorCode: "rate_limited" }),
      ]),
    );
    const db = await getDb();
    const result = await db.execute(
      sql`select path, region, operation, application_id, upstream_latency_ms, error_code from analytics_events where environment = ${env.name}`,
    );
    const [row] = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
    expect(row).toEqual({
      path,
      region: null,
      operation: null,
      application_id: null,
      upstream_latency_ms: null,
      error_code: "rate_limited",
    });
  });
});
