import type { Tier } from "./snapshot";

/**
 * Monthly quotas of subscription tiers: at most `monthlyQuota` requests per application × API
 * per calendar month (UTC). Unlike a token bucket nothing refills during the month: the count
 * starts again at 0 when the next month begins, so a refused client retries then.
 */

export interface QuotaWindow {
  /** `YYYY-MM` of the month `now` falls in (UTC): counters are keyed by it. */
  period: string;
  /** Epoch ms of the first instant of this month (UTC). */
  startsAt: number;
  /** Epoch ms of the first instant of the next month (UTC): when the count starts again. */
  resetAt: number;
}

export function monthWindow(now: number): QuotaWindow {
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  return {
    period: `${year}-${String(month + 1).padStart(2, "0")}`,
    startsAt: Date.UTC(year, month, 1),
    resetAt: Date.UTC(year, month + 1, 1),
  };
}

export interface ResolvedQuota {
  /** Counter key without its period; unique per application × API within one environment. */
  key: string;
  quota: number;
}

/** The quota a request counts against: only authenticated calls on a limited tier that sets one. */
export function resolveQuota(applicationId: string | null, apiId: string, tier: Tier | null | undefined): ResolvedQuota | null {
  if (applicationId === null || !tier || tier.unlimited || !tier.monthlyQuota) return null;
  return { key: `quota:${applicationId}:${apiId}`, quota: tier.monthlyQuota };
}

/** The counter key of one quota in one month. */
export function quotaPeriodKey(quota: ResolvedQuota, window: QuotaWindow): string {
  return `${quota.key}:${window.period}`;
}

export interface QuotaOutcome {
  allowed: boolean;
  /** Requests counted this month, this one included when allowed. */
  used: number;
  quota: number;
  window: QuotaWindow;
}

/** Counts one more request unless the month's count has reached the quota. */
export function takeQuota(used: number, quota: number): { allowed: boolean; used: number } {
  return used < quota ? { allowed: true, used: used + 1 } : { allowed: false, used };
}

/** Share of the quota left, comparable with a bucket's remaining ÷ burst to pick the binding limit. */
export function quotaHeadroom(o: QuotaOutcome): number {
  return Math.max(0, o.quota - o.used) / o.quota;
}

/**
 * Headers when the quota is the binding limit: `RateLimit-Limit` the quota, `RateLimit-Remaining`
 * what is left of it, `RateLimit-Reset` the seconds until the month ends, `RateLimit-Policy` the
 * quota over the month's length; `Retry-After` (refusals only) also the seconds until the month
 * ends, since no request can pass before.
 */
export function quotaHeaders(o: QuotaOutcome, now: number): Record<string, string> {
  const reset = String(Math.max(1, Math.ceil((o.window.resetAt - now) / 1000)));
  const headers: Record<string, string> = {
    "ratelimit-limit": String(o.quota),
    "ratelimit-remaining": String(Math.max(0, o.quota - o.used)),
    "ratelimit-reset": reset,
    "ratelimit-policy": `${o.quota};w=${(o.window.resetAt - o.window.startsAt) / 1000}`,
  };
  if (!o.allowed) headers["retry-after"] = reset;
  return headers;
}

/** Whether a counter key (as made by `quotaPeriodKey`) belongs to a month before `window`. */
export function isPastPeriod(key: string, window: QuotaWindow): boolean {
  return key.slice(key.lastIndexOf(":") + 1) < window.period;
}
