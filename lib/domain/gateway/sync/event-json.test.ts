import { describe, expect, it } from "vitest";
import { compactAnalyticsBatchSchema, parseAnalyticsBatch, type AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import { eventFieldsJson, eventFieldsOf, eventGroupJson } from "./event-json";
import { EventBatcher } from "./event-shipper";

const base: AnalyticsEvent = {
  id: "5b1c4f0e-8a5e-4a57-9f1e-2f3c1d0a9b7e",
  time: "2026-12-06T15:04:05.123Z",
  environment: "default",
  instanceId: "gw-1",
  region: null,
  apiId: "api_1",
  operation: "GET /pets/{id}",
  applicationId: "app_1",
  keyType: "production",
  method: "GET",
  path: "/pets/v1/7",
  status: 200,
  latencyMs: 0.8123412,
  upstreamLatencyMs: 0.51234,
  requestBytes: 0,
  responseBytes: 34,
};

/** The batch an EventBatcher hands over for these events, parsed as the control plane parses it. */
async function roundTrip(events: AnalyticsEvent[]): Promise<{ raw: unknown; expanded: AnalyticsEvent[] }> {
  let body: Uint8Array | null = null;
  const batcher = new EventBatcher(
    1000,
    60_000,
    async (_id, batch) => {
      body = batch;
    },
    { aggregate: false },
  );
  events.forEach((e) => batcher.record(e));
  await batcher.flush();
  const raw = JSON.parse(Buffer.from(body!).toString("utf8"));
  return { raw, expanded: parseAnalyticsBatch(raw).events };
}

const toMicros = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const withoutId = ({ id: _id, ...rest }: AnalyticsEvent) => rest;

describe("compact event batches", () => {
  it.each<[string, Partial<AnalyticsEvent>]>([
    ["a typical event", {}],
    ["nulls everywhere they are allowed", { region: null, operation: null, applicationId: null, keyType: null, upstreamLatencyMs: null }],
    ["an error code", { status: 502, errorCode: "upstream_unreachable" }],
    ["a path with quotes, backslashes, control and non-ASCII characters", { path: '/a"b\\c\u0001/é/€/😀/%20' }],
    ["a region and names with spaces", { region: "eu west", environment: "prod eu" }],
    ["whole and tiny numbers", { latencyMs: 12, upstreamLatencyMs: 1e-7, responseBytes: 1_234_567_890 }],
  ])("carry every member of the event, latencies to the microsecond: %s", async (_, change) => {
    const event = { ...base, ...change };
    const { raw, expanded } = await roundTrip([event]);
    expect(compactAnalyticsBatchSchema.safeParse(raw).success).toBe(true);
    expect(withoutId(expanded[0])).toEqual(
      withoutId({ ...event, latencyMs: toMicros(event.latencyMs)!, upstreamLatencyMs: toMicros(event.upstreamLatencyMs) }),
    );
  });

  it("write shared members once per group and times as offsets from the first event", async () => {
    const events: AnalyticsEvent[] = [
      base,
      { ...base, time: "2026-12-06T15:04:05.140Z", path: "/pets/v1/8" },
      { ...base, time: "2026-12-06T15:04:05.100Z", applicationId: "app_2", status: 429, errorCode: "rate_limited" },
      { ...base, time: "2026-12-06T15:04:06.003Z", path: "/pets/v1/9" },
    ];
    const { raw, expanded } = await roundTrip(events);
    const batch = raw as { start: string; groups: unknown[]; events: unknown[][] };
    expect(batch.start).toBe(base.time);
    expect(batch.groups).toHaveLength(2);
    expect(batch.events.map((e) => e.slice(0, 2))).toEqual([
      [0, 0],
      [0, 17],
      [1, -23],
      [0, 880],
    ]);
    expect(expanded.map((e) => [e.time, e.applicationId, e.path, e.errorCode])).toEqual(
      events.map((e) => [e.time, e.applicationId, e.path, e.errorCode]),
    );
    expect(new Set(expanded.map((e) => e.id)).size).toBe(4);
  });

  it("are a fraction of the full form's size", async () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({ ...base, path: `/pets/v1/${i}` }));
    let body: Uint8Array | null = null;
    const batcher = new EventBatcher(
      1000,
      60_000,
      async (_id, batch) => {
        body = batch;
      },
      { aggregate: false },
    );
    events.forEach((e) => batcher.record(e));
    await batcher.flush();
    const full = JSON.stringify({ batchId: base.id, events });
    expect(body!.length).toBeLessThan(full.length / 5);
  });

  it("group JSON and field JSON are what the batch carries", () => {
    expect(JSON.parse(eventGroupJson(base))).toEqual({
      environment: "default",
      instanceId: "gw-1",
      region: null,
      apiId: "api_1",
      operation: "GET /pets/{id}",
      applicationId: "app_1",
      keyType: "production",
      method: "GET",
    });
    expect(JSON.parse(`[${eventFieldsOf(base)}]`)).toEqual(["/pets/v1/7", 200, 0.812, 0.512, 0, 34]);
  });

  it.each<[number, string]>([
    [0, "0"],
    [0.0004, "0"],
    [0.0005, "0.001"],
    [0.8123412, "0.812"],
    [12.5, "12.500"],
    [12.05, "12.050"],
    [1234.0071, "1234.007"],
  ])("writes a latency of %s ms as %s", (value, text) => {
    expect(eventFieldsJson("/", 200, value, null, 0, 0, undefined)).toBe(`"/",200,${text},null,0,0`);
  });
});
