import { INTERVAL_MS, type Interval } from "./time-range";

/** Roll-up resolutions: the query intervals plus weeks, which only whole-range totals read. */
export type RollupUnit = Interval | "week";

const WEEK_MS = 7 * INTERVAL_MS.day;
// Weeks start on Monday 00:00 UTC, as Postgres' date_trunc('week', t, 'UTC'); 1970-01-01 was a Thursday.
const MONDAY_OFFSET_MS = 4 * INTERVAL_MS.day;

export function floorToUnit(time: number, unit: RollupUnit): number {
  if (unit !== "week") return Math.floor(time / INTERVAL_MS[unit]) * INTERVAL_MS[unit];
  return Math.floor((time - MONDAY_OFFSET_MS) / WEEK_MS) * WEEK_MS + MONDAY_OFFSET_MS;
}

function ceilToUnit(time: number, unit: RollupUnit): number {
  const floor = floorToUnit(time, unit);
  return floor === time ? time : floor + (unit === "week" ? WEEK_MS : INTERVAL_MS[unit]);
}

export interface CoverSegment {
  unit: RollupUnit;
  from: number;
  to: number;
}

/**
 * Splits [from, to) into the fewest roll-up buckets: the coarsest unit where whole buckets
 * fit, finer units toward the edges (`units` coarsest first; the last one, normally the
 * query's interval, takes whatever remains). Every instant of the range lies in exactly one
 * segment, so summing the segments counts each event once; a 30-day total reads about four
 * weeks and a few days instead of thirty days.
 */
export function coverRange(from: number, to: number, units: readonly RollupUnit[]): CoverSegment[] {
  if (from >= to || units.length === 0) return [];
  const [unit, ...finer] = units;
  if (finer.length === 0) return [{ unit, from, to }];
  const start = ceilToUnit(from, unit);
  const end = floorToUnit(to, unit);
  if (start >= end) return coverRange(from, to, finer);
  return [...coverRange(from, start, finer), { unit, from: start, to: end }, ...coverRange(end, to, finer)];
}
