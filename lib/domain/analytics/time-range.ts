/** Time ranges and intervals of analytics queries: pure, shared by the server and the dashboards. */
export type Interval = "minute" | "hour" | "day";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const INTERVAL_MS: Record<Interval, number> = { minute: MINUTE, hour: HOUR, day: DAY };

/** The longest range each interval may cover (so a chart never has more than a few thousand points). */
export const MAX_SPAN_MS: Record<Interval, number> = { minute: 2 * DAY, hour: 93 * DAY, day: 800 * DAY };

/**
 * The interval a range gets when none is asked for: minutes up to 3 hours, hours up to 8 days,
 * then days (so a month reads about 30 day roll-ups per group, not 720 hour roll-ups).
 */
export function chooseInterval(spanMs: number): Interval {
  if (spanMs <= 3 * HOUR) return "minute";
  if (spanMs <= 8 * DAY) return "hour";
  return "day";
}

/** Buckets are aligned in UTC. */
export function floorTo(time: number, interval: Interval): number {
  const step = INTERVAL_MS[interval];
  return Math.floor(time / step) * step;
}

export function ceilTo(time: number, interval: Interval): number {
  const step = INTERVAL_MS[interval];
  return Math.ceil(time / step) * step;
}

/** Widens [from, to) to whole buckets of the interval. */
export function alignRange(from: number, to: number, interval: Interval): { from: number; to: number } {
  const f = floorTo(from, interval);
  const t = Math.max(ceilTo(to, interval), f + INTERVAL_MS[interval]);
  return { from: f, to: t };
}

/** Every bucket start in an aligned range. */
export function bucketStarts(from: number, to: number, interval: Interval): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t += INTERVAL_MS[interval]) out.push(t);
  return out;
}

export const RANGE_PRESETS = [
  { id: "1h", label: "Last hour", short: "1 hour", ms: HOUR },
  { id: "24h", label: "Last 24 hours", short: "24 hours", ms: DAY },
  { id: "7d", label: "Last 7 days", short: "7 days", ms: 7 * DAY },
  { id: "30d", label: "Last 30 days", short: "30 days", ms: 30 * DAY },
] as const;
export type RangePresetId = (typeof RANGE_PRESETS)[number]["id"];

/**
 * A preset ending now, its start aligned to the interval the server will choose, so that the
 * totals and the chart cover exactly the same buckets.
 */
export function presetRange(id: RangePresetId, now: number): { from: number; to: number } {
  const preset = RANGE_PRESETS.find((p) => p.id === id) ?? RANGE_PRESETS[1];
  const interval = chooseInterval(preset.ms);
  return { from: floorTo(now - preset.ms, interval), to: now };
}
