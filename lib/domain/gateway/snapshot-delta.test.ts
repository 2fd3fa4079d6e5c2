import { describe, expect, it } from "vitest";
import type { Snapshot } from "./snapshot";
import { applySnapshotDelta, diffSnapshots, snapshotDeltaSchema } from "./snapshot-delta";

function api(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: id,
    context: `/${id}`,
    version: "v1",
    isDefaultVersion: true,
    lifecycleState: "PUBLISHED",
    revisionId: `rev_${id}`,
    upstream: { production: "http://b", sandbox: null },
    security: [],
    operations: [{ method: "GET", path: "/" }],
    ...extra,
  };
}

const base = {
  format: 1,
  version: "10",
  generatedAt: "2026-12-07T00:00:00.000Z",
  environment: { name: "default", region: null },
  issuer: "https://cp",
  audience: "meridian-gateways",
  jwks: { keys: [{ kid: "k1" }] },
  apis: [api("a"), api("b"), api("c")],
  subscriptions: [{ id: "s1", applicationId: "app1", apiId: "a", tier: "Gold", status: "active" }],
  apiKeys: [{ hash: "h1", applicationId: "app1", keyType: "production", expiresAt: null }],
  revokedTokenIds: [{ jti: "j1", expiresAt: "2026-12-08T00:00:00.000Z" }],
  tiers: [{ name: "Gold", requests: 10, unit: "minute", burst: 10, unlimited: false }],
  applicationPolicies: {},
} as unknown as Snapshot;

const cases: [string, (s: Snapshot) => Snapshot, (delta: ReturnType<typeof diffSnapshots>) => void][] = [
  ["nothing but the version", (s) => s, (d) => expect([d.set, d.changes]).toEqual([{}, {}])],
  [
    "an API added",
    (s) => ({ ...s, apis: [...s.apis, api("d")] }) as Snapshot,
    (d) => expect(d.changes.apis).toEqual({ put: [api("d")], remove: [] }),
  ],
  [
    "an API redeployed",
    (s) => ({ ...s, apis: s.apis.map((a) => (a.id === "b" ? { ...a, revisionId: "rev_b2" } : a)) }) as Snapshot,
    (d) => expect(d.changes.apis!.put).toHaveLength(1),
  ],
  [
    "an API removed",
    (s) => ({ ...s, apis: s.apis.filter((a) => a.id !== "a") }) as Snapshot,
    (d) => expect(d.changes.apis).toEqual({ put: [], remove: ["a"] }),
  ],
  [
    "APIs reordered",
    (s) => ({ ...s, apis: [...s.apis].reverse() }) as Snapshot,
    (d) => expect(d.changes.apis!.order).toEqual(["c", "b", "a"]),
  ],
  [
    "a subscription blocked and a key revoked",
    (s) => ({ ...s, subscriptions: [{ ...s.subscriptions[0], status: "blocked" }], apiKeys: [] }) as Snapshot,
    (d) => expect(d.changes.apiKeys).toEqual({ put: [], remove: ["h1"] }),
  ],
  [
    "a token revoked",
    (s) => ({ ...s, revokedTokenIds: [...s.revokedTokenIds, { jti: "j2", expiresAt: "2026-12-09T00:00:00.000Z" }] }) as Snapshot,
    (d) => expect(d.changes.revokedTokenIds!.put).toHaveLength(1),
  ],
  [
    "a tier changed",
    (s) => ({ ...s, tiers: [{ ...s.tiers[0], requests: 20 }] }) as Snapshot,
    (d) => expect(d.changes.tiers!.put).toHaveLength(1),
  ],
  [
    "the keys rotated",
    (s) => ({ ...s, jwks: { keys: [{ kid: "k2" }, { kid: "k1" }] } }) as Snapshot,
    (d) => expect(Object.keys(d.set)).toEqual(["jwks"]),
  ],
];

describe("snapshot deltas", () => {
  for (const [what, change, check] of cases) {
    it(`${what}: the delta leads from the base to exactly the next snapshot`, () => {
      const next = { ...change(base), version: "11", generatedAt: "2026-12-07T00:01:00.000Z" } as Snapshot;
      const delta = diffSnapshots(base, next);
      check(delta);
      expect(snapshotDeltaSchema.parse(JSON.parse(JSON.stringify(delta)))).toEqual(delta);
      expect(applySnapshotDelta(base, delta)).toEqual(next);
    });
  }

  it("is refused by a gateway holding another version", () => {
    const delta = diffSnapshots(base, { ...base, version: "11" });
    expect(() => applySnapshotDelta({ ...base, version: "9" }, delta)).toThrow(/applies to version 10/);
  });

  it("is much smaller than the snapshot when one API of a thousand changes", () => {
    const many = { ...base, apis: Array.from({ length: 1000 }, (_, i) => api(`api${i}`)) } as Snapshot;
    const next = {
      ...many,
      version: "11",
      apis: many.apis.map((a) => (a.id === "api500" ? { ...a, revisionId: "rev_new" } : a)),
    } as Snapshot;
    const delta = diffSnapshots(many, next);
    expect(JSON.stringify(delta).length).toBeLessThan(JSON.stringify(next).length / 100);
    expect(applySnapshotDelta(many, delta)).toEqual(next);
  });
});
