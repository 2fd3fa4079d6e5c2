import { describe, expect, it } from "vitest";
import { alignRange, bucketStarts, chooseInterval, presetRange } from "./time-range";

const H = 3_600_000;
const D = 24 * H;

describe("analytics time ranges", () => {
  it("chooses minutes, hours or days by span", () => {
    expect(chooseInterval(H)).toBe("minute");
    expect(chooseInterval(3 * H)).toBe("minute");
    expect(chooseInterval(D)).toBe("hour");
    expect(chooseInterval(7 * D + H)).toBe("hour");
    expect(chooseInterval(30 * D)).toBe("day");
    expect(chooseInterval(90 * D)).toBe("day");
  });
  it("aligns ranges to whole UTC buckets", () => {
    const from = Date.UTC(2026, 0, 1, 10, 17, 30);
    const to = Date.UTC(2026, 0, 1, 12, 2, 0);
    expect(alignRange(from, to, "hour")).toEqual({ from: Date.UTC(2026, 0, 1, 10), to: Date.UTC(2026, 0, 1, 13) });
    expect(alignRange(from, from, "minute")).toEqual({ from: Date.UTC(2026, 0, 1, 10, 17), to: Date.UTC(2026, 0, 1, 10, 18) });
    expect(bucketStarts(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 3), "day")).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2)]);
  });
  it("starts presets on a bucket boundary of their interval", () => {
    const now = Date.UTC(2026, 0, 10, 12, 34, 56);
    expect(presetRange("24h", now)).toEqual({ from: Date.UTC(2026, 0, 9, 12), to: now });
    expect(presetRange("1h", now)).toEqual({ from: Date.UTC(2026, 0, 10, 11, 34), to: now });
  });
});
