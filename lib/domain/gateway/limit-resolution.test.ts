import { describe, expect, it } from "vitest";
import { bindingLimit, resolveLimits } from "./limit-resolution";
import { takeAll } from "./token-bucket";
import type { RateLimit, Tier } from "./snapshot";

const gold: Tier = { name: "Gold", requests: 100, unit: "minute", burst: 10, unlimited: false };
const unlimited: Tier = { name: "Unlimited", requests: 0, unit: "minute", burst: 0, unlimited: true };
const apiLimit: RateLimit = { requests: 1000, unit: "second", burst: 1000 };
const opLimit: RateLimit = { requests: 5, unit: "second", burst: 2 };
const appPolicy: RateLimit = { requests: 10_000, unit: "hour", burst: 500 };

describe("resolveLimits", () => {
  it("keys each limit by the population it counts", () => {
    const limits = resolveLimits({
      apiId: "api",
      apiLimit,
      operationKey: "GET /x",
      operationLimit: opLimit,
      applicationId: "app",
      tier: gold,
      applicationPolicy: appPolicy,
    });
    expect(limits.map((l) => [l.scope, l.key])).toEqual([
      ["subscription", "sub:app:api"],
      ["api", "api:api"],
      ["operation", "op:api:GET /x"],
      ["application", "app:app"],
    ]);
    expect(limits[0].limit).toEqual({ requests: 100, unit: "minute", burst: 10 });
  });

  it("skips unlimited tiers and application limits for anonymous calls", () => {
    expect(resolveLimits({ apiId: "api", operationKey: "GET /x", applicationId: "app", tier: unlimited })).toEqual([]);
    const anonymous = resolveLimits({
      apiId: "api",
      apiLimit,
      operationKey: "GET /x",
      applicationId: null,
      tier: gold,
      applicationPolicy: appPolicy,
    });
    expect(anonymous.map((l) => l.scope)).toEqual(["api"]);
  });
});

describe("bindingLimit", () => {
  const limits = resolveLimits({
    apiId: "api",
    apiLimit,
    operationKey: "GET /x",
    operationLimit: opLimit,
    applicationId: "app",
    tier: gold,
  });

  it("reports the bucket closest to empty when allowed", () => {
    const r = takeAll(
      limits.map((l) => ({ limit: l.limit, state: undefined })),
      0,
    );
    expect(limits[bindingLimit(limits, r.outcomes)].scope).toBe("operation");
  });

  it("reports the refusing bucket that frees up last", () => {
    const states = [{ tokens: 0, updatedAt: 0 }, undefined, { tokens: 0, updatedAt: 0 }];
    const r = takeAll(
      limits.map((l, i) => ({ limit: l.limit, state: states[i] })),
      0,
    );
    expect(r.allowed).toBe(false);
    expect(limits[bindingLimit(limits, r.outcomes)].scope).toBe("subscription");
  });

  it("returns -1 without limits", () => {
    expect(bindingLimit([], [])).toBe(-1);
  });
});
