/**
 * Latency histograms with fixed buckets: a mergeable summary. Roll-ups store one count per
 * bucket, so any set of minutes, hours, groups or gateways merges by adding counts, and
 * percentiles come from the merged counts (never from averaging percentiles). The error of a
 * percentile is bounded by the width of the bucket it falls in.
 */

/** Upper bounds (exclusive) in milliseconds; a last, open bucket holds everything above. */
export const LATENCY_BOUNDS_MS = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10000, 15000, 30000, 60000,
] as const;

export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** Column name of bucket i in the roll-up tables. */
export function bucketColumn(i: number): string {
  return `lat_h${String(i).padStart(2, "0")}`;
}

/** The bucket of a latency, as Postgres' width_bucket(latency, bounds) computes it. */
export function bucketIndex(latencyMs: number): number {
  let lo = 0;
  let hi: number = LATENCY_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (latencyMs >= LATENCY_BOUNDS_MS[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [lower, upper) of bucket i; the open last bucket ends at `max` when known. */
export function bucketRange(i: number, max?: number): [number, number] {
  const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
  const upper = i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i] : Math.max(lower, max ?? lower);
  return [lower, upper];
}

export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKETS).fill(0);
}

export function mergeHistograms(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < LATENCY_BUCKETS; i++) into[i] += from[i] ?? 0;
  return into;
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram, interpolated linearly inside its bucket, or null
 * when the histogram is empty. `max` (the largest latency seen) bounds the open last bucket
 * and caps the estimate.
 */
export function percentile(counts: readonly number[], q: number, max?: number): number | null {
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c === 0) continue;
    if (seen + c >= rank) {
      const [lower, upper] = bucketRange(i, max);
      const value = lower + ((rank - seen) / c) * (upper - lower);
      return max !== undefined ? Math.min(value, max) : value;
    }
    seen += c;
  }
  return max ?? bucketRange(counts.length - 1)[0];
}
