import { describe, expect, it } from "vitest";
import type { DeploymentRef } from "../types";
import { tierArtifacts } from "./live";
import type { Entity } from "./writer";

const ref = (tiers: Record<string, Record<string, unknown>>): DeploymentRef => ({
  type: "kong",
  version: 1,
  ids: Object.fromEntries(Object.entries(tiers).map(([t, c]) => [`tier:${t}`, JSON.stringify(c)])),
  contentHash: "x",
  revisionNumber: 1,
});

const subscriber = (consumer: string, tierTag: string, config: Record<string, unknown>): Entity => ({
  id: `p-${consumer}`,
  name: "rate-limiting",
  consumer: { id: consumer },
  config,
  tags: ["meridian", "meridian-api:api_1", `meridian-tier:${tierTag}`],
});

describe("Kong tier artifacts for drift", () => {
  const gold = { minute: 5000, limit_by: "consumer" };
  const cases: Array<{ name: string; tiers: Record<string, Record<string, unknown>>; plugins: Entity[]; want: Record<string, string[]> }> =
    [
      { name: "no subscriber: one empty list per tier", tiers: { Gold: gold }, plugins: [], want: { Gold: [] } },
      {
        name: "subscribers whose plugin carries the tier's limits, with Kong's defaults beside them: still empty",
        tiers: { Gold: gold },
        plugins: [subscriber("c1", "Gold", { ...gold, policy: "local", fault_tolerant: true }), subscriber("c2", "Gold", gold)],
        want: { Gold: [] },
      },
      {
        name: "a limit changed by hand names its consumer",
        tiers: { Gold: gold },
        plugins: [subscriber("c1", "Gold", gold), subscriber("c2", "Gold", { ...gold, minute: 1 })],
        want: { Gold: ['consumer c2: {"minute":1,"limit_by":"consumer"}'] },
      },
      {
        name: "a tier name Kong could not carry is matched by its tag",
        tiers: { "Gold Plus": gold },
        plugins: [subscriber("c1", "Gold_Plus", gold)],
        want: { "Gold Plus": [] },
      },
      {
        name: "a plugin of a tier the revision does not have is listed apart",
        tiers: { Gold: gold },
        plugins: [subscriber("c3", "Bronze", { minute: 10 })],
        want: { Gold: [], "Bronze (not a tier of this revision)": ['consumer c3: {"minute":10}'] },
      },
    ];
  for (const c of cases)
    it(c.name, () => {
      const artifacts = tierArtifacts(ref(c.tiers), c.plugins);
      expect(
        Object.fromEntries(
          artifacts.map((a) => [a.name, (a.content as { subscribersWithOtherLimits: string[] }).subscribersWithOtherLimits]),
        ),
      ).toEqual(c.want);
      expect(artifacts.every((a) => a.kind === "tier" && a.format === "json")).toBe(true);
    });
});
