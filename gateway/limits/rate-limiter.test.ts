import { describe, expect, it } from "vitest";
import { resolveLimits } from "@/lib/domain/gateway/limit-resolution";
import { LocalRateLimiter } from "./rate-limiter";

const limits = resolveLimits({
  apiId: "api",
  apiLimit: { requests: 2, unit: "second", burst: 2 },
  operationKey: "GET /",
  applicationId: null,
});

describe("LocalRateLimiter", () => {
  it("refuses past the burst with headers, then recovers", async () => {
    const limiter = new LocalRateLimiter();
    expect(limiter.consume(limits, null, 0).allowed).toBe(true);
    expect(limiter.consume(limits, null, 0).headers["ratelimit-remaining"]).toBe("0");
    const refused = limiter.consume(limits, null, 0);
    expect(refused.allowed).toBe(false);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(limiter.consume(limits, null, 500).allowed).toBe(true);
    await limiter.close();
  });

  it("forgets full buckets when sweeping", async () => {
    const limiter = new LocalRateLimiter();
    limiter.consume(limits, null, 0);
    limiter.sweep(100);
    expect(limiter.size).toBe(1);
    limiter.sweep(1_000);
    expect(limiter.size).toBe(0);
    await limiter.close();
  });
});

describe("LocalRateLimiter with a monthly quota", () => {
  const quota = { key: "quota:app:api", quota: 2 };
  const wide = resolveLimits({
    apiId: "api",
    apiLimit: { requests: 100, unit: "second", burst: 100 },
    operationKey: "GET /",
    applicationId: null,
  });

  it("refuses past the quota without using a token, with the month's end in Retry-After", async () => {
    const limiter = new LocalRateLimiter();
    const now = Date.parse("2026-11-30T23:59:00Z");
    expect(limiter.consume(wide, quota, now).allowed).toBe(true);
    expect(limiter.consume(wide, quota, now).headers["ratelimit-remaining"]).toBe("0");
    const refused = limiter.consume(wide, quota, now);
    expect(refused).toEqual({
      allowed: false,
      headers: expect.objectContaining({ "ratelimit-limit": "2", "retry-after": "60", "ratelimit-reset": "60" }),
    });
    // The next month starts from 0.
    expect(limiter.consume(wide, quota, Date.parse("2026-12-01T00:00:00Z")).allowed).toBe(true);
    await limiter.close();
  });

  it("does not count a request the buckets refuse", async () => {
    const limiter = new LocalRateLimiter();
    const tight = resolveLimits({
      apiId: "api",
      apiLimit: { requests: 1, unit: "minute", burst: 1 },
      operationKey: "GET /",
      applicationId: null,
    });
    const big = { key: "quota:app:api", quota: 1000 };
    expect(limiter.consume(tight, big, 0).allowed).toBe(true);
    const refused = limiter.consume(tight, big, 0);
    expect(refused.allowed).toBe(false);
    // The bucket binds (it frees up first), and the quota still shows one request used.
    expect(refused.headers["ratelimit-limit"]).toBe("1");
    // Had the refused request been counted, a quota of 2 would now be used up.
    const other = resolveLimits({
      apiId: "other",
      apiLimit: { requests: 100, unit: "second", burst: 100 },
      operationKey: "GET /",
      applicationId: null,
    });
    expect(limiter.consume(other, { ...big, quota: 2 }, 0).allowed).toBe(true);
    expect(limiter.consume(other, { ...big, quota: 2 }, 0).allowed).toBe(false);
    await limiter.close();
  });
});
