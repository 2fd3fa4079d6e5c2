import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { POST as postEvents } from "@/app/api/gateway/v1/events/route";
import { closeDb, getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { LATENCY_BUCKETS, bucketIndex } from "@/lib/domain/analytics/histogram";
import { applyAnalyticsRetention } from "@/lib/services/analytics/apply-retention";
import { ensureEventPartitions, listEventPartitions } from "@/lib/services/analytics/event-partitions";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";
import { rollUpEvents } from "@/lib/services/analytics/roll-up-events";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";
import { adminCtx } from "../helpers";
import { batchOf, event, rollupRows, uniqueEnvironment } from "./analytics-support";

afterAll(() => closeDb());

function histogramOf(latencies: number[]): number[] {
  const h = new Array<number>(LATENCY_BUCKETS).fill(0);
  for (const l of latencies) h[bucketIndex(l)]++;
  return h;
}

describe("the events endpoint with the aggregate form", () => {
  it("takes a mixed fleet's full, compact and aggregate batches, each once, counting sampled events never", async () => {
    const name = `an-agg-${randomBytes(3).toString("hex")}`;
    await createEnvironment({ name, type: "builtin" }, adminCtx);
    const { token } = await rotateGatewayToken(name, adminCtx);
    const post = (body: unknown) =>
      postEvents(
        new Request("http://localhost/api/gateway/v1/events", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000);
    const group = {
      environment: name,
      instanceId: "gw-new",
      region: "eu",
      apiId: "api_mixed",
      operation: "GET /pets",
      applicationId: "app_m",
      keyType: "production",
      method: "GET",
    };
    // A gateway of today: 40 requests in one minute (37 × 200, 3 × 401), the 401s and one 200 sampled.
    const okLatencies = Array.from({ length: 37 }, (_, i) => i + 0.5);
    const aggregate = {
      batchId: randomUUID(),
      format: 3,
      start: minute.toISOString(),
      groups: [group],
      events: [
        [0, 1_000, "/m/v1/pets", 200, 0.5, 0.25, 0, 10],
        [0, 2_000, "/m/v1/pets", 401, 0.1, null, 0, 90, "missing_credentials"],
        [0, 3_000, "/m/v1/pets", 401, 0.1, null, 0, 90, "missing_credentials"],
        [0, 4_000, "/m/v1/pets", 401, 0.1, null, 0, 90, "missing_credentials"],
      ],
      aggregates: [
        [0, 0, 2, 37, 0, 0, 0, 0, 370, okLatencies.reduce((a, b) => a + b, 0), 36.5, 9.25, 37, histogramOf(okLatencies)],
        [0, 0, 4, 3, 3, 0, 0, 0, 270, 0.3, 0.1, 0, 0, histogramOf([0.1, 0.1, 0.1])],
      ],
    };
    // An older gateway of the same environment during the upgrade: raw events, both forms.
    const at = new Date(minute.getTime() + 30_000).toISOString();
    const full = batchOf([
      event(name, { apiId: "api_mixed", time: at, region: "eu" }),
      event(name, { apiId: "api_mixed", time: at, region: "eu" }),
    ]);
    const compact = {
      batchId: randomUUID(),
      format: 2,
      start: at,
      groups: [{ ...group, instanceId: "gw-old" }],
      events: [[0, 0, "/m/v1/pets", 500, 2, 1.5, 0, 10]],
    };

    expect((await post({ ...aggregate, start: new Date(minute.getTime() + 1).toISOString() })).status).toBe(400);
    expect((await post({ ...aggregate, groups: [{ ...group, environment: "someone-else" }] })).status).toBe(403);
    for (const batch of [aggregate, full, compact]) {
      expect((await post(batch)).status).toBe(202);
      expect(await (await post(batch)).json()).toEqual({ stored: 0, duplicate: true });
    }

    const range = {
      from: new Date(minute.getTime() - 60_000),
      to: new Date(minute.getTime() + 120_000),
      environment: name,
      scope: "all" as const,
    };
    const expected = { requests: 43, status2xx: 39, status4xx: 3, status5xx: 1, status401: 3, responseBytes: 370 + 270 + 2 * 1000 + 10 };
    expect((await getAnalyticsSummary(range, adminCtx)).totals).toMatchObject(expected);
    await rollUpEvents();
    expect((await getAnalyticsSummary(range, adminCtx)).totals).toMatchObject(expected);
    const minuteRows = await rollupRows("analytics_rollups_minute", name);
    expect(minuteRows.reduce((n, r) => n + Number(r.requests), 0)).toBe(43);
    // The sampled events stay for the recent calls and errors; the staging is emptied by the roll-up.
    const db = await getDb();
    const [sampled] = rowsOf<{ n: string | number }>(
      await db.execute(sql`select count(*) as n from analytics_events where batch_id = ${aggregate.batchId}::uuid`),
    );
    expect(Number(sampled.n)).toBe(4);
    const [staged] = rowsOf<{ n: string | number }>(
      await db.execute(
        sql`select count(*) as n from analytics_aggregate_staging s join analytics_batches b on b.seq = s.batch_seq where b.batch_id = ${aggregate.batchId}::uuid`,
      ),
    );
    expect(Number(staged.n)).toBe(0);
  });
});

describe("raw events partitioned by day", () => {
  it("drops a whole day past retention, keeps a day holding a batch not rolled up, and creates the coming days", async () => {
    const env = uniqueEnvironment();
    const DAY = 86_400_000;
    const now = new Date();
    const dayName = (t: number) => `analytics_events_p${new Date(t).toISOString().slice(0, 10).replace(/-/g, "")}`;
    await applyAnalyticsRetention(now);
    const names = (await listEventPartitions()).map((p) => p.name);
    for (const d of [-1, 0, 1, 2]) expect(names).toContain(dayName(now.getTime() + d * DAY));
    // Days 10 to 7 ago get their partitions (as they did when they were the coming days).
    expect(await ensureEventPartitions(new Date(now.getTime() - 9 * DAY))).toEqual(
      [-10, -9, -8, -7].map((d) => dayName(now.getTime() + d * DAY)),
    );

    const rolled = event(env.name, { time: new Date(now.getTime() - 9 * DAY).toISOString(), apiId: "api_rolled" });
    await ingestEvents(env, batchOf([rolled]));
    await rollUpEvents();
    const pending = event(env.name, { time: new Date(now.getTime() - 8 * DAY).toISOString(), apiId: "api_pending" });
    const recent = event(env.name, { time: new Date(now.getTime() - DAY).toISOString(), apiId: "api_recent" });
    await ingestEvents(env, batchOf([pending, recent]));
    const db = await getDb();
    const where = async (apiId: string) =>
      rowsOf<{ p: string }>(
        await db.execute(
          sql`select tableoid::regclass::text as p from analytics_events where api_id = ${apiId} and environment = ${env.name}`,
        ),
      ).map((r) => r.p.replace(/"/g, ""));

    const result = await applyAnalyticsRetention(now);
    expect(await where("api_rolled")).toEqual([]);
    expect((await listEventPartitions()).map((p) => p.name)).not.toContain(dayName(now.getTime() - 9 * DAY));
    expect(result.eventPartitions).toBeGreaterThanOrEqual(2);
    expect(await where("api_pending")).toEqual([dayName(now.getTime() - 8 * DAY)]);
    expect(await where("api_recent")).toEqual([dayName(now.getTime() - DAY)]);
    expect(result.events).toBeGreaterThanOrEqual(1);
    // Rolled up, its day goes too; the roll-ups keep the counts.
    await rollUpEvents();
    await applyAnalyticsRetention(now);
    expect(await where("api_pending")).toEqual([]);
    expect((await rollupRows("analytics_rollups_day", env.name)).map((r) => r.api_id).sort()).toEqual([
      "api_pending",
      "api_recent",
      "api_rolled",
    ]);
    expect((await listEventPartitions()).map((p) => p.name)).not.toContain(dayName(now.getTime() - 8 * DAY));
  });
});
