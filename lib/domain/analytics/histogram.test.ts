import { describe, expect, it } from "vitest";
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS, bucketIndex, bucketRange, emptyHistogram, mergeHistograms, percentile } from "./histogram";

function histogramOf(values: number[]): number[] {
  const h = emptyHistogram();
  for (const v of values) h[bucketIndex(v)]++;
  return h;
}

function exactPercentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

describe("latency histogram", () => {
  it("puts a value equal to a bound in the bucket above it, like width_bucket", () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(0.99)).toBe(0);
    expect(bucketIndex(1)).toBe(1);
    expect(bucketIndex(100)).toBe(LATENCY_BOUNDS_MS.indexOf(100) + 1);
    expect(bucketIndex(1e9)).toBe(LATENCY_BUCKETS - 1);
  });

  it("estimates percentiles within the bucket of the true value", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values = Array.from({ length: 5000 }, () => Math.exp(random() * 8));
    const h = histogramOf(values);
    const max = Math.max(...values);
    for (const q of [0.5, 0.95, 0.99]) {
      const truth = exactPercentile(values, q);
      const [lower, upper] = bucketRange(bucketIndex(truth), max);
      const estimate = percentile(h, q, max)!;
      expect(estimate).toBeGreaterThanOrEqual(lower);
      expect(estimate).toBeLessThanOrEqual(upper);
    }
  });

  it("merges by adding counts, the same as one histogram of all values", () => {
    const a = [3, 8, 12, 250];
    const b = [1, 40, 900, 4000];
    expect(mergeHistograms(histogramOf(a), histogramOf(b))).toEqual(histogramOf([...a, ...b]));
    expect(percentile(emptyHistogram(), 0.5)).toBeNull();
  });
});
