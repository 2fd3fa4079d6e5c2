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
  ])("writes exactly what JSON.stringify writes: %s", (_, change) => {
    const event = { ...base, ...change };
    expect(eventJson(event)).toBe(JSON.stringify(event));
    expect(JSON.parse(eventJson(event))).toEqual(event);
  });
});
