import { describe, expect, it } from "vitest";
import { NO_APPLICATION_BREAKDOWN, noBreakdownLabel, vendorClassRows } from "./vendor-minutes";

describe("vendor minutes", () => {
  it("splits a reported minute into status classes that add up to its requests", () => {
    const rows = vendorClassRows({
      key: "api_1",
      minute: "2026-12-07T10:00:00.000Z",
      requests: 10,
      errors4xx: 3,
      errors5xx: 1,
      latencyAvgMs: 20,
      latencyMaxMs: 90,
      upstreamLatencyAvgMs: 15,
    });
    expect(rows.map((r) => [r.statusClass, r.requests, r.latencySum, r.upstreamCount])).toEqual([
      [2, 6, 120, 6],
      [4, 3, 60, 3],
      [5, 1, 20, 1],
    ]);
    expect(rows.every((r) => r.latencyMax === 90)).toBe(true);
  });

  it("never reports more errors than requests, and leaves latency sums at zero when the vendor gives none", () => {
    const rows = vendorClassRows({
      key: "api_1",
      minute: "2026-12-07T10:00:00.000Z",
      requests: 2,
      errors4xx: 5,
      errors5xx: 5,
      latencyAvgMs: null,
      latencyMaxMs: null,
      upstreamLatencyAvgMs: null,
    });
    expect(rows).toEqual([expect.objectContaining({ statusClass: 4, requests: 2, latencySum: 0, upstreamCount: 0 })]);
  });

  it("labels the vendors' application keys, and nothing else", () => {
    expect(noBreakdownLabel(NO_APPLICATION_BREAKDOWN.aws)).toBe("No per-application breakdown (AWS API Gateway)");
    expect(noBreakdownLabel(NO_APPLICATION_BREAKDOWN.azure)).toBe("No per-application breakdown (Azure API Management)");
    expect(noBreakdownLabel("")).toBeNull();
    expect(noBreakdownLabel("app_1")).toBeNull();
  });
});
