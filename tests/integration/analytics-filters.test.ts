import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { getAnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";
import { listAnalyticsFilterOptions } from "@/lib/services/analytics/list-analytics-filter-options";
import { createApi } from "@/lib/services/apis/create-api";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApplication } from "@/lib/services/applications/create-application";
import type { ServiceContext } from "@/lib/services/context";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { adminCtx, userContext } from "../helpers";
import { batchOf, event, uniqueEnvironment } from "./analytics-support";

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
      context: `/af${randomBytes(4).toString("hex")}`,
      definition: PETSTORE,
      endpoints: { production: "http://127.0.0.1:9", sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "apikey" },
      allowedTiers: ["Gold"],
    } as never,
    owner,
  );
  await changeLifecycle(api.id, { action: "publish" } as never, owner);
  return api.id;
}

const env = uniqueEnvironment();
let publisher: ServiceContext;
let otherPublisher: ServiceContext;
let consumer: ServiceContext;
let busyApi: string;
let newApi: string;
let otherApi: string;
let consumerApp: string;
let otherApp: string;
const range = () => ({ from: new Date(Date.now() - 60 * 60_000).toISOString(), to: new Date().toISOString(), environment: env.name });

beforeAll(async () => {
  await ensureDefaults();
  publisher = await userContext(["publisher"], "af-pub");
  otherPublisher = await userContext(["publisher"], "af-pub2");
  consumer = await userContext(["subscriber"], "af-sub");
  busyApi = await apiOf(publisher, "Filters busy");
  newApi = await apiOf(publisher, "Filters new");
  otherApi = await apiOf(otherPublisher, "Filters other");
  consumerApp = (await createApplication({ name: "af-app" }, consumer)).id;
  otherApp = (await createApplication({ name: "af-unsubscribed" }, await userContext(["subscriber"], "af-sub2"))).id;
  await createSubscription({ applicationId: consumerApp, apiId: newApi, tier: "Gold" }, consumer);
  const time = new Date(Date.now() - 5 * 60_000).toISOString();
  // Eleven busy APIs would push the new one out of a top 10; one busy API with far more traffic
  // and the new one with a single call make the same point for the lists of groups.
  await ingestEvents(
    env,
    batchOf([
      ...Array.from({ length: 40 }, () => event(env.name, { time, apiId: busyApi, applicationId: otherApp })),
      event(env.name, { time, apiId: newApi, applicationId: consumerApp, status: 500, operation: "GET /pets" }),
      ...Array.from({ length: 7 }, () => event(env.name, { time, apiId: otherApi, applicationId: consumerApp })),
    ]),
  );
}, 120_000);

describe("analytics filters", () => {
  it("narrow totals, series and breakdowns to one API", async () => {
    const summary = await getAnalyticsSummary({ ...range(), apiId: newApi, groupBy: "apiId,applicationId,operation" }, adminCtx);
    expect(summary.totals).toMatchObject({ requests: 1, status5xx: 1 });
    expect(summary.breakdowns.apiId!.map((g) => [g.key, g.label])).toEqual([[newApi, "Filters new v1"]]);
    expect(summary.breakdowns.applicationId!.map((g) => g.key)).toEqual([consumerApp]);
    const series = await getAnalyticsTimeseries({ ...range(), apiId: newApi }, adminCtx);
    expect(series.points.reduce((n, p) => n + p.requests, 0)).toBe(1);
  });

  it("narrow to one application, and combine with the caller's scope", async () => {
    const byApp = await getAnalyticsSummary({ ...range(), applicationId: consumerApp, groupBy: "apiId" }, adminCtx);
    expect(byApp.totals.requests).toBe(8);
    expect(byApp.breakdowns.apiId!.map((g) => [g.key, g.requests])).toEqual([
      [otherApi, 7],
      [newApi, 1],
    ]);
    // A publisher filtering by an API that is not theirs sees nothing of it.
    const foreign = await getAnalyticsSummary({ ...range(), scope: "publisher", apiId: otherApi }, publisher);
    expect(foreign.totals.requests).toBe(0);
    const consumerView = await getAnalyticsSummary({ ...range(), scope: "consumer", apiId: newApi }, consumer);
    expect(consumerView.totals.requests).toBe(1);
  });

  it("offers every API and application in the caller's scope, with traffic or not", async () => {
    const all = await listAnalyticsFilterOptions({ scope: "all" }, adminCtx);
    expect(all.apis).toEqual(
      expect.arrayContaining([
        { value: newApi, label: "Filters new v1" },
        { value: otherApi, label: "Filters other v1" },
      ]),
    );
    expect(all.applications.map((a) => a.value)).toEqual(expect.arrayContaining([consumerApp, otherApp]));
    expect(all.environments.map((e) => e.value)).toContain("default");

    const mine = await listAnalyticsFilterOptions({ scope: "publisher" }, publisher);
    expect(mine.apis.map((a) => a.label)).toEqual(["Filters busy v1", "Filters new v1"]);
    // Applications subscribed to the publisher's APIs only.
    expect(mine.applications).toEqual([{ value: consumerApp, label: "af-app" }]);

    const theirs = await listAnalyticsFilterOptions({ scope: "consumer" }, consumer);
    expect(theirs.applications).toEqual([{ value: consumerApp, label: "af-app" }]);
    expect(theirs.apis.map((a) => a.value)).toEqual([newApi]);
  });

  it("refuses the options of a scope the caller may not see", async () => {
    await expect(listAnalyticsFilterOptions({ scope: "all" }, publisher)).rejects.toMatchObject({ code: "forbidden" });
    await expect(listAnalyticsFilterOptions({ scope: "publisher" }, consumer)).rejects.toMatchObject({ code: "forbidden" });
    await expect(listAnalyticsFilterOptions({}, { actor: null })).rejects.toMatchObject({ code: "unauthenticated" });
  });
});
