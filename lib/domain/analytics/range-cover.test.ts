import { describe, expect, it } from "vitest";
import { coverRange, floorToUnit } from "./range-cover";

const H = 3_600_000;
const D = 24 * H;

describe("range cover", () => {
  it("aligns weeks to Monday 00:00 UTC", () => {
    // 2026-11-23 is a Monday.
    expect(floorToUnit(Date.UTC(2026, 10, 23), "week")).toBe(Date.UTC(2026, 10, 23));
    expect(floorToUnit(Date.UTC(2026, 10, 29, 23, 59), "week")).toBe(Date.UTC(2026, 10, 23));
    expect(floorToUnit(Date.UTC(2026, 10, 22, 23, 59), "week")).toBe(Date.UTC(2026, 10, 16));
    expect(new Date(floorToUnit(Date.UTC(1969, 11, 31), "week")).getUTCDay()).toBe(1);
  });

  it("reads whole weeks in the middle of 30 days and days at the edges", () => {
    // Friday 23 October to Monday 23 November 2026.
    const segments = coverRange(Date.UTC(2026, 9, 23), Date.UTC(2026, 10, 23), ["week", "day"]);
    expect(segments).toEqual([
      { unit: "day", from: Date.UTC(2026, 9, 23), to: Date.UTC(2026, 9, 26) },
      { unit: "week", from: Date.UTC(2026, 9, 26), to: Date.UTC(2026, 10, 23) },
    ]);
  });

  it("covers every instant exactly once, finest units at both edges", () => {
    const from = Date.UTC(2026, 0, 3, 5, 17);
    const to = Date.UTC(2026, 0, 20, 9, 3);
    const segments = coverRange(from, to, ["week", "day", "hour", "minute"]);
    expect(segments.map((s) => s.unit)).toEqual(["minute", "hour", "day", "week", "day", "hour", "minute"]);
    expect(segments[0].from).toBe(from);
    expect(segments.at(-1)!.to).toBe(to);
    for (let i = 1; i < segments.length; i++) expect(segments[i].from).toBe(segments[i - 1].to);
    for (const s of segments) expect(floorToUnit(s.from, s.unit)).toBe(s.from);
  });

  it("falls back to finer units when no whole coarse bucket fits", () => {
    expect(coverRange(Date.UTC(2026, 0, 1, 10), Date.UTC(2026, 0, 2, 2), ["week", "day", "hour"])).toEqual([
      { unit: "hour", from: Date.UTC(2026, 0, 1, 10), to: Date.UTC(2026, 0, 2, 2) },
    ]);
    expect(coverRange(5 * D, 5 * D, ["day"])).toEqual([]);
    expect(coverRange(0, 3 * H, ["hour"])).toEqual([{ unit: "hour", from: 0, to: 3 * H }]);
  });
});
