import type { RateLimit, RateUnit } from "./snapshot";

/**
 * Token buckets: a bucket holds at most `burst` tokens, refills continuously at `requests` per
 * `unit`, and each request takes one. Pure arithmetic on (tokens, updatedAt) so the local store
 * and the Redis script (which mirrors these lines) agree.
 */

export const UNIT_MS: Record<RateUnit, number> = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export interface BucketState {
  tokens: number;
  /** Milliseconds (epoch) of the last refill. */
  updatedAt: number;
}

export function refillRatePerMs(limit: RateLimit): number {
  return limit.requests / UNIT_MS[limit.unit];
}

/** Tokens after refilling up to now; a missing bucket is full. A clock step back adds nothing. */
export function refill(state: BucketState | undefined, limit: RateLimit, now: number): number {
  if (!state) return limit.burst;
  const elapsed = Math.max(0, now - state.updatedAt);
  return Math.min(limit.burst, state.tokens + elapsed * refillRatePerMs(limit));
}

export interface BucketOutcome {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: milliseconds until one token is back. 0 when allowed. */
  retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

/** What the client is told about one bucket holding `tokens` after the decision. */
export function bucketOutcome(tokens: number, allowed: boolean, limit: RateLimit): BucketOutcome {
  const rate = refillRatePerMs(limit);
  return {
    allowed,
    remaining: Math.floor(tokens),
    retryAfterMs: allowed ? 0 : Math.ceil((1 - tokens) / rate),
    resetMs: Math.ceil((limit.burst - tokens) / rate),
  };
}

export interface BucketCheck {
  limit: RateLimit;
  state: BucketState | undefined;
}

export interface MultiBucketResult {
  allowed: boolean;
  outcomes: BucketOutcome[];
  /** New states to store, one per bucket (unchanged tokens when refused). */
  states: BucketState[];
}

/**
 * Takes one token from every bucket or from none: a request refused by one limit must not use
 * up the others.
 */
export function takeAll(checks: BucketCheck[], now: number): MultiBucketResult {
  // Plain loops: this runs on every limited request, and each array method allocated a copy.
  const n = checks.length;
  const levels: number[] = new Array(n);
  let allowed = true;
  for (let i = 0; i < n; i++) {
    levels[i] = refill(checks[i].state, checks[i].limit, now);
    if (levels[i] < 1) allowed = false;
  }
  const outcomes: BucketOutcome[] = new Array(n);
  const states: BucketState[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const tokens = allowed ? levels[i] - 1 : levels[i];
    outcomes[i] = bucketOutcome(tokens, allowed || levels[i] >= 1, checks[i].limit);
    states[i] = { tokens, updatedAt: now };
  }
  return { allowed, outcomes, states };
}

export interface RateLimitHeaderInput {
  limit: RateLimit;
  outcome: BucketOutcome;
}

/**
 * `RateLimit-Limit` is the bucket capacity (what may be sent at once), `RateLimit-Remaining` the
 * whole tokens left, `RateLimit-Reset` the seconds until the bucket is full again,
 * `RateLimit-Policy` the long-run rate; `Retry-After` (refusals only) the seconds until one
 * request is allowed again, at least 1.
 */
export function rateLimitHeaders({ limit, outcome: o }: RateLimitHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    "ratelimit-limit": String(limit.burst),
    "ratelimit-remaining": String(Math.max(0, o.remaining)),
    "ratelimit-reset": String(Math.ceil(o.resetMs / 1000)),
    "ratelimit-policy": `${limit.requests};w=${UNIT_MS[limit.unit] / 1000};burst=${limit.burst}`,
  };
  if (!o.allowed) headers["retry-after"] = String(Math.max(1, Math.ceil(o.retryAfterMs / 1000)));
  return headers;
}
