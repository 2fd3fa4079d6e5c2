import { alignRange, chooseInterval, MAX_SPAN_MS, type Interval } from "@/lib/domain/analytics/time-range";
import { coverRange } from "@/lib/domain/analytics/range-cover";
import { AppError } from "@/lib/errors";
import { unitsDownTo, type SourcePlan } from "./query-source";
import type { RollupFamily } from "./rollup-sql";

const DAY = 24 * 60 * 60_000;

/**
 * The range of a query: `to` defaults to now and `from` to 24 hours before `to`; both are
 * widened to whole buckets of the interval (chosen from the span when not given).
 */
export function resolveRange(
  input: { from?: Date; to?: Date; interval?: Interval },
  now = new Date(),
): { from: Date; to: Date; interval: Interval } {
  const to = input.to ?? now;
  const from = input.from ?? new Date(to.getTime() - DAY);
  if (from.getTime() >= to.getTime())
    throw new AppError("validation_failed", "from must be before to.", { fieldErrors: { from: "from must be before to." } });
  const interval = input.interval ?? chooseInterval(to.getTime() - from.getTime());
  const aligned = alignRange(from.getTime(), to.getTime(), interval);
  if (aligned.to - aligned.from > MAX_SPAN_MS[interval]) {
    const days = Math.floor(MAX_SPAN_MS[interval] / DAY);
    throw new AppError(
      "validation_failed",
      `A ${interval} interval covers at most ${days} days; choose a longer interval or a shorter range.`,
      { fieldErrors: { interval: `At most ${days} days per ${interval} interval.` } },
    );
  }
  return { from: new Date(aligned.from), to: new Date(aligned.to), interval };
}

/** Whole-range totals: the coarsest roll-up buckets that fit, finer ones toward the edges. */
export function totalsPlan(range: { from: Date; to: Date; interval: Interval }, family: RollupFamily): SourcePlan {
  const segments = coverRange(range.from.getTime(), range.to.getTime(), unitsDownTo(family, range.interval));
  return { family, segments, unit: range.interval, from: range.from, to: range.to };
}

/** A time series: each interval reads the roll-ups of its own resolution, whole buckets. */
export function seriesPlan(range: { from: Date; to: Date; interval: Interval }, family: RollupFamily): SourcePlan {
  const segments = [{ unit: range.interval, from: range.from.getTime(), to: range.to.getTime() }];
  return { family, segments, unit: range.interval, from: range.from, to: range.to };
}
