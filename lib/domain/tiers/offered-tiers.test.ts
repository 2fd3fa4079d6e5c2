import { describe, expect, it } from "vitest";
import { findOfferedTier, offeredTiers, offersTier } from "./offered-tiers";

const TIERS = [{ name: "Bronze" }, { name: "Silver" }, { name: "Gold" }, { name: "Unlimited" }];

describe("offeredTiers", () => {
  it.each([
    { allowed: [], want: ["Bronze", "Silver", "Gold", "Unlimited"], why: "an empty list allows every tier" },
    { allowed: ["Gold"], want: ["Gold"], why: "a list narrows the choice" },
    { allowed: ["Gold", "Bronze"], want: ["Gold", "Bronze"], why: "in the publisher's order" },
    { allowed: ["gold", "GOLD", "Gold"], want: ["Gold"], why: "names ignore letter case and repeat once" },
    { allowed: ["Platinum", "Silver"], want: ["Silver"], why: "a deleted tier is not on offer" },
    { allowed: ["Platinum"], want: [], why: "a list of deleted tiers offers none (the publisher narrowed on purpose)" },
  ])("$why", ({ allowed, want }) => {
    expect(offeredTiers(allowed, TIERS).map((t) => t.name)).toEqual(want);
  });

  it("offers nothing when no tier exists", () => {
    expect(offeredTiers([], [])).toEqual([]);
  });

  it("keeps the tiers' own objects", () => {
    const tiers = [{ name: "Gold", requests: 10 }];
    expect(offeredTiers([], tiers)[0]).toBe(tiers[0]);
  });
});

describe("offersTier / findOfferedTier", () => {
  it("takes any existing tier when the API allows every tier", () => {
    expect(offersTier([], TIERS, "Unlimited")).toBe(true);
    expect(offersTier([], TIERS, "Platinum")).toBe(false);
  });
  it("takes only allowed tiers, by their own spelling", () => {
    expect(offersTier(["Gold"], TIERS, "Silver")).toBe(false);
    expect(findOfferedTier(["Gold"], TIERS, "gold")).toEqual({ name: "Gold" });
  });
});
