import { describe, expect, it } from "vitest";
import {
  analyticsBatchSchema,
  analyticsBatchSchemaOf,
  compactAnalyticsBatchSchema,
  heartbeatSchema,
  parseAnalyticsBatch,
  snapshotSchema,
  type Snapshot,
} from "./snapshot";
import { exampleSnapshot } from "./snapshot-example";

const api = () => exampleSnapshot().apis[0];

function refused(snapshot: unknown): boolean {
  return !snapshotSchema.safeParse(snapshot).success;
}

describe("snapshot schema", () => {
  it("accepts the example snapshot", () => {
    const parsed = snapshotSchema.parse(JSON.parse(JSON.stringify(exampleSnapshot())));
    expect(parsed.apis[0].operations).toHaveLength(4);
    expect(parsed.jwks.keys[0].crv).toBe("P-256");
  });

  it.each<[string, (s: Snapshot) => unknown]>([
    ["an unknown format", (s) => ({ ...s, format: 2 })],
    ["a missing version", (s) => ({ ...s, version: undefined })],
    ["a version with quotes", (s) => ({ ...s, version: 'a"b' })],
    ["apis not an array", (s) => ({ ...s, apis: {} })],
    ["a context without a slash", (s) => ({ ...s, apis: [{ ...api(), context: "pets" }] })],
    ["a context with a template", (s) => ({ ...s, apis: [{ ...api(), context: "/pets/{id}" }] })],
    ["a reserved context", (s) => ({ ...s, apis: [{ ...api(), context: "/__meridian/x" }] })],
    ["a version with a slash", (s) => ({ ...s, apis: [{ ...api(), version: "v1/x" }] })],
    [
      "an upstream that is not http",
      (s) => ({ ...s, apis: [{ ...api(), upstream: { production: "file:///etc/passwd", sandbox: null } }] }),
    ],
    ["an unknown security scheme", (s) => ({ ...s, apis: [{ ...api(), security: ["basic"] }] })],
    ["an unknown method", (s) => ({ ...s, apis: [{ ...api(), operations: [{ method: "BREW", path: "/" }] }] })],
    ["two APIs on one route", (s) => ({ ...s, apis: [api(), { ...api(), id: "other" }] })],
    ["two default versions", (s) => ({ ...s, apis: [api(), { ...api(), id: "other", version: "v2" }] })],
    [
      "a duplicate operation",
      (s) => ({
        ...s,
        apis: [
          {
            ...api(),
            operations: [
              { method: "GET", path: "/" },
              { method: "GET", path: "/" },
            ],
          },
        ],
      }),
    ],
    ["a subscription to an unknown tier", (s) => ({ ...s, subscriptions: [{ ...s.subscriptions[0], tier: "Platinum" }] })],
    ["a subscription with an unknown status", (s) => ({ ...s, subscriptions: [{ ...s.subscriptions[0], status: "maybe" }] })],
    ["an API key hash that is not hex sha-256", (s) => ({ ...s, apiKeys: [{ ...s.apiKeys[0], hash: "abc" }] })],
    [
      "a limited tier with no requests",
      (s) => ({ ...s, tiers: [{ name: "Gold", requests: 0, unit: "minute", burst: 0, unlimited: false }] }),
    ],
    ["a monthly quota of 0", (s) => ({ ...s, tiers: [{ ...s.tiers[0], monthlyQuota: 0 }] })],
    ["a fractional monthly quota", (s) => ({ ...s, tiers: [{ ...s.tiers[0], monthlyQuota: 1.5 }] })],
    ["a rate limit with zero burst", (s) => ({ ...s, apis: [{ ...api(), rateLimit: { requests: 1, unit: "second", burst: 0 } }] })],
    ["a private key in the JWKS", (s) => ({ ...s, jwks: { keys: [{ ...s.jwks.keys[0], d: "secret" }] } })],
    ["a symmetric key in the JWKS", (s) => ({ ...s, jwks: { keys: [{ kty: "oct", kid: "k", alg: "HS256", k: "c2VjcmV0" }] } })],
    ["an ES256 key of RSA type", (s) => ({ ...s, jwks: { keys: [{ ...s.jwks.keys[0], kty: "RSA" }] } })],
    ["a key without kid", (s) => ({ ...s, jwks: { keys: [{ ...s.jwks.keys[0], kid: undefined }] } })],
    ["duplicate kids", (s) => ({ ...s, jwks: { keys: [s.jwks.keys[0], s.jwks.keys[0]] } })],
    ["a revocation without expiry", (s) => ({ ...s, revokedTokenIds: [{ jti: "x" }] })],
  ])("refuses %s", (_, mutate) => {
    expect(refused(mutate(exampleSnapshot()))).toBe(true);
  });

  it("reads tiers with and without a monthly quota (snapshots cached before quotas existed)", () => {
    const s = exampleSnapshot();
    const parsed = snapshotSchema.parse({
      ...s,
      tiers: [
        s.tiers[0],
        { ...s.tiers[0], name: "Silver", monthlyQuota: null },
        { name: "Old", requests: 1, unit: "minute", burst: 1, unlimited: false },
      ],
    });
    expect(parsed.tiers.map((t) => t.monthlyQuota)).toEqual([1_000_000, null, undefined]);
  });

  it("refuses non-objects", () => {
    expect(refused(null)).toBe(true);
    expect(refused("snapshot")).toBe(true);
  });
});

describe("heartbeat and events", () => {
  it("parses a heartbeat", () => {
    expect(
      heartbeatSchema.parse({ instanceId: "gw-1", region: null, appliedVersion: "42", startedAt: "2025-01-01T00:00:00Z" }).appliedVersion,
    ).toBe("42");
  });

  const event = {
    id: "6f1b8a4e-0c2d-4c4e-9b7a-1f2e3d4c5b6a",
    time: "2025-01-01T00:00:00.000Z",
    environment: "default",
    instanceId: "gw-1",
    region: "eu-west-1",
    apiId: "api_pets_v1",
    operation: "GET /{id}",
    applicationId: "app_1",
    keyType: "production",
    method: "GET",
    path: "/pets/v1/7",
    status: 200,
    latencyMs: 1.5,
    upstreamLatencyMs: 1.1,
    requestBytes: 0,
    responseBytes: 120,
  };

  it("parses a batch and refuses an empty one or a bad event", () => {
    const batchId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    expect(analyticsBatchSchema.parse({ batchId, events: [event] }).events[0].status).toBe(200);
    expect(analyticsBatchSchema.safeParse({ batchId, events: [] }).success).toBe(false);
    expect(analyticsBatchSchema.safeParse({ batchId: "1", events: [event] }).success).toBe(false);
    expect(analyticsBatchSchema.safeParse({ batchId, events: [{ ...event, status: 700 }] }).success).toBe(false);
  });

  describe("compact batches", () => {
    const batchId = "0a1b2c3d-4e5f-4a6b-8c7d-fffffffffffe";
    const {
      id: _id,
      time: _time,
      path: _path,
      status: _status,
      latencyMs: _l,
      upstreamLatencyMs: _u,
      requestBytes: _q,
      responseBytes: _r,
      ...group
    } = event;
    const compact = {
      batchId,
      format: 2,
      start: "2026-12-06T10:00:00.000Z",
      groups: [group],
      events: [
        [0, 5, "/p", 200, 1.5, null, 0, 10],
        [0, -5, "/q", 429, 0.2, null, 0, 0, "rate_limited"],
        [0, 7, "/r", 200, 1, 1, 0, 0],
      ],
    };

    it("expands to the full form, with ids derived from the batch id", () => {
      const full = parseAnalyticsBatch(compact);
      expect(full.events.map((e) => [e.id, e.time, e.path, e.errorCode])).toEqual([
        ["0a1b2c3d-4e5f-4a6b-8c7d-fffffffffffe", "2026-12-06T10:00:00.005Z", "/p", undefined],
        ["0a1b2c3d-4e5f-4a6b-8c7d-ffffffffffff", "2026-12-06T09:59:59.995Z", "/q", "rate_limited"],
        // The last 48 bits wrap around.
        ["0a1b2c3d-4e5f-4a6b-8c7d-000000000000", "2026-12-06T10:00:00.007Z", "/r", undefined],
      ]);
      expect(full.events[0]).toMatchObject({
        ...group,
        status: 200,
        latencyMs: 1.5,
        upstreamLatencyMs: null,
        requestBytes: 0,
        responseBytes: 10,
      });
      expect("errorCode" in full.events[0]).toBe(false);
      expect(analyticsBatchSchema.parse(full)).toEqual(full);
    });

    it.each<[string, unknown]>([
      ["a group index past the groups", { ...compact, events: [[1, 0, "/p", 200, 1, null, 0, 0]] }],
      ["a tenth member", { ...compact, events: [[0, 0, "/p", 200, 1, null, 0, 0, "x", "y"]] }],
      ["too few members", { ...compact, events: [[0, 0, "/p", 200, 1, null, 0]] }],
      ["an offset of more than a day", { ...compact, events: [[0, 86_400_001, "/p", 200, 1, null, 0, 0]] }],
      ["a negative latency", { ...compact, events: [[0, 0, "/p", 200, -1, null, 0, 0]] }],
      ["no groups", { ...compact, groups: [] }],
      ["another format", { ...compact, format: 3 }],
    ])("refuses %s", (_, batch) => {
      expect(() => parseAnalyticsBatch(batch)).toThrow();
    });

    it("tells the forms apart by format", () => {
      expect(analyticsBatchSchemaOf(compact)).toBe(compactAnalyticsBatchSchema);
      expect(analyticsBatchSchemaOf({ batchId, events: [event] })).toBe(analyticsBatchSchema);
      expect(parseAnalyticsBatch({ batchId, events: [event] }).events).toEqual([event]);
    });
  });
});
