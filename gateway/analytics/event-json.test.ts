import { describe, expect, it } from "vitest";
import type { AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import { z } from "zod";
import { EventIds, eventIdentityJson, eventJson, eventJsonWith, IsoTimes } from "./event-json";

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

describe("eventJson", () => {
  it.each<[string, Partial<AnalyticsEvent>]>([
    ["a typical event", {}],
    ["nulls everywhere they are allowed", { region: null, operation: null, applicationId: null, keyType: null, upstreamLatencyMs: null }],
    ["an error code", { status: 502, errorCode: "upstream_unreachable" }],
    ["a path with quotes, backslashes, control and non-ASCII characters", { path: '/a"b\\c\u0001/é/€/😀/%20' }],
    ["a region and names with spaces", { region: "eu west", environment: "prod eu" }],
    ["whole and tiny numbers", { latencyMs: 12, upstreamLatencyMs: 1e-7, responseBytes: 1_234_567_890 }],
  ])("writes the event as JSON.stringify would, latencies to the microsecond: %s", (_, change) => {
    const event = { ...base, ...change };
    const toMicros = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
    expect(JSON.parse(eventJson(event))).toEqual({ ...event, latencyMs: toMicros(event.latencyMs), upstreamLatencyMs: toMicros(event.upstreamLatencyMs) });
    const exact = { ...event, latencyMs: 12, upstreamLatencyMs: event.upstreamLatencyMs === null ? null : 3 };
    expect(eventJson(exact)).toBe(JSON.stringify(exact));
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
    expect(eventJson({ ...base, latencyMs: value })).toContain(`"latencyMs":${text},`);
  });
});

describe("eventJsonWith", () => {
  it("writes the same event from its identity members and the request's fields", () => {
    const e = { ...base, errorCode: "rate_limited", status: 429 };
    expect(eventJsonWith(eventIdentityJson(e), e.id, e.time, e.path, e.status, e.latencyMs, e.upstreamLatencyMs, e.requestBytes, e.responseBytes, e.errorCode)).toBe(eventJson(e));
  });
});

describe("EventIds", () => {
  it("gives distinct UUIDs of the version 4 layout, in one process and across processes", () => {
    const a = new EventIds();
    const b = new EventIds();
    const ids = [...Array.from({ length: 1000 }, () => a.next()), ...Array.from({ length: 1000 }, () => b.next())];
    expect(new Set(ids).size).toBe(2000);
    for (const id of ids) expect(z.uuid().safeParse(id).success, id).toBe(true);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-000000000000$/);
    expect(ids[1].endsWith("-000000000001")).toBe(true);
  });
});

describe("IsoTimes", () => {
  it.each([0, 5, 42, 999, 1_000, 1_764_000_000_007, 1_764_000_000_070, 1_764_000_000_700, 1_764_000_001_000])("formats %s ms like Date.toISOString", (t) => {
    const times = new IsoTimes();
    expect(times.format(t)).toBe(new Date(t).toISOString());
    // Again within the same second, and after it.
    expect(times.format(t + 1)).toBe(new Date(t + 1).toISOString());
    expect(times.format(t + 1_500)).toBe(new Date(t + 1_500).toISOString());
  });
});
