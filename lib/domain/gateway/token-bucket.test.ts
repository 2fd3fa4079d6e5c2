import { describe, expect, it } from "vitest";
import { rateLimitHeaders, refill, takeAll } from "./token-bucket";
import type { RateLimit } from "./snapshot";

const tenPerSecond: RateLimit = { requests: 10, unit: "second", burst: 5 };

describe("refill", () => {
  it("starts full and refills at the rate up to the burst", () => {
    expect(refill(undefined, tenPerSecond, 0)).toBe(5);
    expect(refill({ tokens: 0, updatedAt: 0 }, tenPerSecond, 200)).toBeCloseTo(2);
    expect(refill({ tokens: 0, updatedAt: 0 }, tenPerSecond, 10_000)).toBe(5);
  });

  it("adds nothing when the clock goes back", () => {
    expect(refill({ tokens: 1, updatedAt: 1000 }, tenPerSecond, 500)).toBe(1);
  });
});

describe("takeAll", () => {
  it("allows a burst, then refuses until a token is back", () => {
    let state;
    for (let i = 0; i < 5; i++) {
      const r = takeAll([{ limit: tenPerSecond, state }], 0);
      expect(r.allowed).toBe(true);
      expect(r.outcomes[0].remaining).toBe(4 - i);
      state = r.states[0];
    }
    const refused = takeAll([{ limit: tenPerSecond, state }], 0);
    expect(refused.allowed).toBe(false);
    expect(refused.outcomes[0].retryAfterMs).toBe(100);
    expect(refused.outcomes[0].resetMs).toBe(500);
    expect(takeAll([{ limit: tenPerSecond, state }], 100).allowed).toBe(true);
  });

  it("sustains the long-run rate and no more", () => {
    const limit: RateLimit = { requests: 60, unit: "minute", burst: 1 };
    let state;
    let allowed = 0;
    for (let t = 0; t < 10_000; t += 100) {
      const r = takeAll([{ limit, state }], t);
      if (r.allowed) allowed++;
      state = r.states[0];
    }
    expect(allowed).toBe(10);
  });

  it("takes from every bucket or from none", () => {
    const wide: RateLimit = { requests: 100, unit: "second", burst: 100 };
    const empty = { tokens: 0, updatedAt: 0 };
    const r = takeAll(
      [
        { limit: wide, state: undefined },
        { limit: tenPerSecond, state: empty },
      ],
      0,
    );
    expect(r.allowed).toBe(false);
    expect(r.states[0].tokens).toBe(100);
    expect(r.outcomes[0].allowed).toBe(true);
    expect(r.outcomes[1].allowed).toBe(false);
  });
});

describe("rateLimitHeaders", () => {
  it("describes an allowed request", () => {
    const r = takeAll([{ limit: tenPerSecond, state: undefined }], 0);
    expect(rateLimitHeaders({ limit: tenPerSecond, outcome: r.outcomes[0] })).toEqual({
      "ratelimit-limit": "5",
      "ratelimit-remaining": "4",
      "ratelimit-reset": "1",
      "ratelimit-policy": "10;w=1;burst=5",
    });
  });

  it("adds Retry-After of at least one second to a refusal", () => {
    const limit: RateLimit = { requests: 1, unit: "minute", burst: 1 };
    const r = takeAll([{ limit, state: { tokens: 0.5, updatedAt: 0 } }], 0);
    const headers = rateLimitHeaders({ limit, outcome: r.outcomes[0] });
    expect(headers["retry-after"]).toBe("30");
    expect(headers["ratelimit-remaining"]).toBe("0");
    const soon = takeAll([{ limit: tenPerSecond, state: { tokens: 0.99, updatedAt: 0 } }], 0);
    expect(rateLimitHeaders({ limit: tenPerSecond, outcome: soon.outcomes[0] })["retry-after"]).toBe("1");
  });
});
