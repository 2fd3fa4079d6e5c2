import { describe, expect, it } from "vitest";
import { isPastPeriod, monthWindow, quotaHeaders, quotaHeadroom, quotaPeriodKey, resolveQuota, takeQuota } from "./quota";
import type { Tier } from "./snapshot";

const gold: Tier = { name: "Gold", requests: 100, unit: "minute", burst: 10, unlimited: false, monthlyQuota: 1000 };

describe("monthWindow", () => {
  it("spans the calendar month in UTC, whatever the time of day", () => {
    const w = monthWindow(Date.parse("2026-11-30T23:59:59.999Z"));
    expect(w).toEqual({ period: "2026-11", startsAt: Date.parse("2026-11-01T00:00:00Z"), resetAt: Date.parse("2026-12-01T00:00:00Z") });
    expect(monthWindow(Date.parse("2026-12-01T00:00:00Z")).period).toBe("2026-12");
  });

  it("rolls December over into January of the next year", () => {
    expect(monthWindow(Date.parse("2026-12-15T12:00:00Z"))).toMatchObject({
      period: "2026-12",
      resetAt: Date.parse("2027-01-01T00:00:00Z"),
    });
  });
});

describe("resolveQuota", () => {
  it("applies to an application's calls on a tier with a quota", () => {
    expect(resolveQuota("app_1", "api_1", gold)).toEqual({ key: "quota:app_1:api_1", quota: 1000 });
  });

  it.each<[string, string | null, Tier | null]>([
    ["anonymous calls", null, gold],
    ["no tier", "app_1", null],
    ["a tier without quota", "app_1", { ...gold, monthlyQuota: null }],
    ["an older snapshot's tier", "app_1", { name: "Gold", requests: 1, unit: "minute", burst: 1, unlimited: false }],
    ["an unlimited tier", "app_1", { ...gold, unlimited: true }],
  ])("does not apply to %s", (_, app, tier) => {
    expect(resolveQuota(app, "api_1", tier)).toBeNull();
  });
});

describe("takeQuota", () => {
  it("counts up to the quota, then refuses without counting", () => {
    expect(takeQuota(0, 2)).toEqual({ allowed: true, used: 1 });
    expect(takeQuota(1, 2)).toEqual({ allowed: true, used: 2 });
    expect(takeQuota(2, 2)).toEqual({ allowed: false, used: 2 });
  });
});

describe("quota headers", () => {
  const now = Date.parse("2026-11-30T23:00:00Z");
  const window = monthWindow(now);

  it("tell a refused client to come back when the month ends", () => {
    const headers = quotaHeaders({ allowed: false, used: 1000, quota: 1000, window }, now);
    expect(headers).toEqual({
      "ratelimit-limit": "1000",
      "ratelimit-remaining": "0",
      "ratelimit-reset": "3600",
      "ratelimit-policy": "1000;w=2592000",
      "retry-after": "3600",
    });
  });

  it("show what is left without Retry-After while allowed", () => {
    const o = { allowed: true, used: 750, quota: 1000, window };
    expect(quotaHeaders(o, now)).not.toHaveProperty("retry-after");
    expect(quotaHeaders(o, now)["ratelimit-remaining"]).toBe("250");
    expect(quotaHeadroom(o)).toBe(0.25);
  });
});

describe("period keys", () => {
  it("tell past months from the current one", () => {
    const window = monthWindow(Date.parse("2026-11-05T00:00:00Z"));
    const key = quotaPeriodKey({ key: "quota:app:api", quota: 1 }, window);
    expect(key).toBe("quota:app:api:2026-11");
    expect(isPastPeriod(key, window)).toBe(false);
    expect(isPastPeriod("quota:app:api:2026-10", window)).toBe(true);
    expect(isPastPeriod("quota:app:api:2025-12", window)).toBe(true);
  });
});
