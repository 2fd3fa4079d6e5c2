import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postEvents } from "@/app/api/gateway/v1/events/route";
import { closeDb, getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { getAnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";
import { rollUpEvents } from "@/lib/services/analytics/roll-up-events";
import { createApi } from "@/lib/services/apis/create-api";
import { createApplication } from "@/lib/services/applications/create-application";
import type { ServiceContext } from "@/lib/services/context";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";
import { adminCtx, userContext } from "../helpers";
import { batchOf, event, storedCounts, uniqueEnvironment } from "./analytics-support";

afterAll(() => closeDb());

const PETSTORE = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Pets", version: "1.0.0" },
  paths: { "/pets": { get: { responses: { "200": { description: "ok" } } } } },
});

async function apiOf(owner: ServiceContext, name: string): Promise<string> {
  const api = await createApi(
    {
      name,
      version: "v1",
      context: `/an${randomBytes(4).toString("hex")}`,
      definition: PETSTORE,
      endpoints: { production: "http://127.0.0.1:9", sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "apikey" },
      allowedTiers: ["Gold"],
    } as never,
    owner,
  );
  return api.id;
}

const env = uniqueEnvironment();
let publisher: ServiceContext;
let otherPublisher: ServiceContext;
let consumer: ServiceContext;
let ownApi: string;
let otherApi: string;
let ownApp: string;
const range = { from: new Date(Date.now() - 60 * 60_000).toISOString(), to: new Date().toISOString(), environment: env.name };

beforeAll(async () => {
  await ensureDefaults(); // the subscription tiers APIs refer to
  publisher = await userContext(["publisher"], "an-pub");
  otherPublisher = await userContext(["publisher"], "an-pub2");
  consumer = await userContext(["subscriber"], "an-sub");
  ownApi = await apiOf(publisher, "Analytics own");
  otherApi = await apiOf(otherPublisher, "Analytics other");
  ownApp = (await createApplication({ name: "an-app" }, consumer)).id;
  const time = new Date(Date.now() - 5 * 60_000).toISOString();
  await ingestEvents(
    env,
    batchOf([
      ...Array.from({ length: 3 }, () => event(env.name, { time, apiId: ownApi, applicationId: ownApp })),
      ...Array.from({ length: 2 }, () => event(env.name, { time, apiId: ownApi, applicationId: "app_someone_else", status: 401 })),
      ...Array.from({ length: 4 }, () => event(env.name, { time, apiId: otherApi, applicationId: ownApp, status: 503 })),
      ...Array.from({ length: 5 }, () => event(env.name, { time, apiId: otherApi, applicationId: null, status: 429 })),
    ]),
  );
}, 120_000);

describe("analytics scope", () => {
  it("shows admins everything, with names for APIs and applications", async () => {
    const summary = await getAnalyticsSummary({ ...range, groupBy: "apiId,applicationId" }, adminCtx);
    expect(summary.scope).toBe("all");
    expect(summary.totals).toMatchObject({ requests: 14, status401: 2, status429: 5, status5xx: 4 });
    expect(summary.breakdowns.apiId!.map((g) => [g.key, g.label, g.requests])).toEqual([
      [otherApi, "Analytics other v1", 9],
      [ownApi, "Analytics own v1", 5],
    ]);
    expect(summary.breakdowns.applicationId!.find((g) => g.key === ownApp)).toMatchObject({ label: "an-app", requests: 7 });
  });

  it("shows a publisher the traffic of their APIs only, before and after the roll-up", async () => {
    for (const round of [0, 1]) {
      if (round) await rollUpEvents();
      const mine = await getAnalyticsSummary({ ...range, scope: "publisher", groupBy: "apiId" }, publisher);
      expect(mine.totals.requests).toBe(5);
      expect(mine.breakdowns.apiId!.map((g) => g.key)).toEqual([ownApi]);
      const theirs = await getAnalyticsTimeseries({ ...range, scope: "publisher" }, otherPublisher);
      expect(theirs.points.reduce((n, p) => n + p.requests, 0)).toBe(9);
    }
  });

  it("shows a consumer the traffic of their applications only, and refuses wider scopes", async () => {
    const mine = await getAnalyticsSummary({ ...range, scope: "consumer", groupBy: "applicationId,apiId" }, consumer);
    expect(mine.totals).toMatchObject({ requests: 7, status5xx: 4 });
    expect(mine.breakdowns.applicationId!.map((g) => g.key)).toEqual([ownApp]);
    expect((await getAnalyticsSummary(range, consumer)).totals.requests).toBe(7);
    await expect(getAnalyticsSummary({ ...range, scope: "all" }, consumer)).rejects.toMatchObject({ code: "forbidden" });
    await expect(getAnalyticsSummary({ ...range, scope: "publisher" }, consumer)).rejects.toMatchObject({ code: "forbidden" });
    await expect(getAnalyticsSummary(range, { actor: null })).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("validates ranges, intervals and dimensions", async () => {
    await expect(getAnalyticsTimeseries({ from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" }, adminCtx)).rejects.toMatchObject({
      code: "validation_failed",
    });
    await expect(
      getAnalyticsTimeseries({ from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", interval: "minute" }, adminCtx),
    ).rejects.toMatchObject({ code: "validation_failed", fieldErrors: { interval: expect.any(String) } });
    await expect(getAnalyticsSummary({ groupBy: "apiId,colour" }, adminCtx)).rejects.toMatchObject({ code: "validation_failed" });
    const day = await getAnalyticsTimeseries({ from: "2026-01-01T10:30:00Z", to: "2026-01-01T12:10:00Z", environment: env.name }, adminCtx);
    expect(day).toMatchObject({ interval: "minute", from: "2026-01-01T10:30:00.000Z", to: "2026-01-01T12:10:00.000Z" });
    expect(day.points).toHaveLength(100);
  });

  it("is described in the OpenAPI document", () => {
    const doc = buildOpenApiDocument("test") as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/analytics/summary", "/api/v1/analytics/timeseries"]));
  });
});

describe("the events endpoint", () => {
  it("refuses a bad token, and a malformed batch whole with a problem document", async () => {
    const name = `an-gw-${randomBytes(3).toString("hex")}`;
    await createEnvironment({ name, type: "builtin" }, adminCtx);
    const { token } = await rotateGatewayToken(name, adminCtx);
    const post = (body: unknown, bearer = token) =>
      postEvents(
        new Request("http://localhost/api/gateway/v1/events", {
          method: "POST",
          headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
      );

    const good = batchOf([event(name), event(name)]);
    expect((await post(good, "mgw_not-a-real-token")).status).toBe(401);
    const bad = batchOf([event(name), { ...event(name), latencyMs: -1 }]);
    const refused = await post(bad);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(await refused.json()).toMatchObject({ code: "validation_failed", detail: expect.stringContaining("events.1.latencyMs") });
    expect((await post("{not json")).status).toBe(400);
    expect(await storedCounts(name, bad.batchId)).toEqual({ events: 0, batches: 0 });

    expect((await post(good)).status).toBe(202);
    expect(await (await post(good)).json()).toEqual({ stored: 0, duplicate: true });
    expect(await storedCounts(name, good.batchId)).toEqual({ events: 2, batches: 1 });
  });

  it("stores a compact batch (what the built-in gateway sends) as the events it stands for, once", async () => {
    const name = `an-gw-${randomBytes(3).toString("hex")}`;
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
    const group = {
      environment: name,
      instanceId: "gw-c",
      region: "eu",
      apiId: "api_c",
      operation: "GET /pets/{id}",
      applicationId: "app_c",
      keyType: "sandbox",
      method: "GET",
    };
    const compact = {
      batchId: randomUUID(),
      format: 2,
      start: "2026-12-06T10:00:00.500Z",
      groups: [group, { ...group, applicationId: null, keyType: null }],
      events: [
        [0, 0, "/c/v1/pets/1", 200, 1.25, 0.75, 0, 34],
        [1, -20, "/c/v1/pets/2", 401, 0.1, null, 12, 90, "missing_credentials"],
      ],
    };
    const outOfRange = { ...compact, batchId: randomUUID(), events: [[2, 0, "/x", 200, 1, null, 0, 0]] };
    const refused = await post(outOfRange);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: "validation_failed", detail: expect.stringContaining("group 2") });
    expect(await storedCounts(name, outOfRange.batchId)).toEqual({ events: 0, batches: 0 });
    const foreign = { ...compact, batchId: randomUUID(), groups: [{ ...group, environment: "someone-else" }], events: [compact.events[0]] };
    expect((await post(foreign)).status).toBe(403);

    expect((await post(compact)).status).toBe(202);
    expect(await (await post(compact)).json()).toEqual({ stored: 0, duplicate: true });
    const db = await getDb();
    const rows = rowsOf<Record<string, unknown>>(
      await db.execute(
        sql`select id::text as id, time, application_id, key_type, path, status, latency_ms, upstream_latency_ms, request_bytes, response_bytes, error_code from analytics_events where batch_id = ${compact.batchId}::uuid order by time`,
      ),
    );
    expect(
      rows.map((r) => ({
        ...r,
        time: new Date(r.time as string).toISOString(),
        id: undefined,
        request_bytes: Number(r.request_bytes),
        response_bytes: Number(r.response_bytes),
      })),
    ).toEqual([
      {
        id: undefined,
        time: "2026-12-06T10:00:00.480Z",
        application_id: null,
        key_type: null,
        path: "/c/v1/pets/2",
        status: 401,
        latency_ms: 0.1,
        upstream_latency_ms: null,
        request_bytes: 12,
        response_bytes: 90,
        error_code: "missing_credentials",
      },
      {
        id: undefined,
        time: "2026-12-06T10:00:00.500Z",
        application_id: "app_c",
        key_type: "sandbox",
        path: "/c/v1/pets/1",
        status: 200,
        latency_ms: 1.25,
        upstream_latency_ms: 0.75,
        request_bytes: 0,
        response_bytes: 34,
        error_code: null,
      },
    ]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
    expect(rows.every((r) => (r.id as string).startsWith(compact.batchId.slice(0, 24)))).toBe(true);
  });
});
