import { describe, expect, it } from "vitest";
import { reconcileDiscovery, type KnownApi } from "./reconcile";

const known: KnownApi[] = [
  { externalId: "a", contentHash: "h1", state: "unchanged" },
  { externalId: "b", contentHash: "h2", state: "new" },
  { externalId: "c", contentHash: "h3", state: "gone" },
];

describe("reconcileDiscovery", () => {
  it.each([
    ["same hash", [{ externalId: "a", contentHash: "h1" }], "a", "unchanged"],
    ["another hash", [{ externalId: "a", contentHash: "h9" }], "a", "updated"],
    ["an unknown id", [{ externalId: "z", contentHash: "h1" }], "z", "new"],
    ["a gone API back with its old hash", [{ externalId: "c", contentHash: "h3" }], "c", "updated"],
  ])("classifies %s", (_label, listing, id, kind) => {
    const change = reconcileDiscovery(known, listing).find((c) => ("listed" in c ? c.listed.externalId : c.known.externalId) === id);
    expect(change?.kind).toBe(kind);
  });

  it("flags every known API as gone when the listing is empty", () => {
    expect(reconcileDiscovery(known, []).map((c) => c.kind)).toEqual(["gone", "gone", "gone"]);
  });

  it("marks what is missing from a listing as gone and keeps listed ones", () => {
    const changes = reconcileDiscovery(known, [{ externalId: "b", contentHash: "h2" }]);
    expect(changes.map((c) => [c.kind, "listed" in c ? c.listed.externalId : c.known.externalId])).toEqual([
      ["unchanged", "b"],
      ["gone", "a"],
      ["gone", "c"],
    ]);
  });

  it("counts a duplicated id in one listing once", () => {
    expect(
      reconcileDiscovery(
        [],
        [
          { externalId: "x", contentHash: "1" },
          { externalId: "x", contentHash: "2" },
        ],
      ),
    ).toHaveLength(1);
  });
});
