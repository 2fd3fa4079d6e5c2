import { describe, expect, it } from "vitest";
import { resolveLimits } from "@/lib/domain/gateway/limit-resolution";
import { LocalRateLimiter } from "./rate-limiter";

const limits = resolveLimits({ apiId: "api", apiLimit: { requests: 2, unit: "second", burst: 2 }, operationKey: "GET /", applicationId: null });

describe("LocalRateLimiter", () => {
  it("refuses past the burst with headers, then recovers", async () => {
    const limiter = new LocalRateLimiter();
    expect(limiter.consume(limits, 0).allowed).toBe(true);
    expect(limiter.consume(limits, 0).headers["ratelimit-remaining"]).toBe("0");
    const refused = limiter.consume(limits, 0);
    expect(refused.allowed).toBe(false);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(limiter.consume(limits, 500).allowed).toBe(true);
    await limiter.close();
  });

  it("forgets full buckets when sweeping", async () => {
    const limiter = new LocalRateLimiter();
    limiter.consume(limits, 0);
    limiter.sweep(100);
    expect(limiter.size).toBe(1);
    limiter.sweep(1_000);
    expect(limiter.size).toBe(0);
    await limiter.close();
  });
});
