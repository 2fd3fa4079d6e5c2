import { describe, expect, it } from "vitest";
import type { AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import { eventJson } from "./event-json";

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
