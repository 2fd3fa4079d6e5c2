import { bindingLimit, type ResolvedLimit } from "@/lib/domain/gateway/limit-resolution";
import {
  monthWindow,
  quotaHeaders,
  quotaHeadroom,
  quotaPeriodKey,
  type QuotaOutcome,
  type ResolvedQuota,
} from "@/lib/domain/gateway/quota";
import {
  rateLimitHeaders,
  refill,
  takeAll,
  type BucketCheck,
  type BucketOutcome,
  type BucketState,
} from "@/lib/domain/gateway/token-bucket";
import type { RateLimit } from "@/lib/domain/gateway/snapshot";
import { gatewayLog } from "../log";
import { LocalQuotaStore, type QuotaCounter } from "./quota-counter";

export interface LimitDecision {
  allowed: boolean;
  /** RateLimit-* (and Retry-After when refused) of the binding bucket or quota. */
  headers: Record<string, string>;
}

/**
 * Takes one token from each bucket of a request and counts it against its monthly quota, all
 * or nothing: a request refused by one limit uses up none of the others.
 */
export interface RateLimiter {
  consume(limits: ResolvedLimit[], quota?: ResolvedQuota | null): LimitDecision | Promise<LimitDecision>;
  close(): Promise<void>;
}

/**
 * The headers of the binding limit. A refused quota binds unless a refusing bucket frees up
 * even later; when allowed, whichever has the smallest share left binds.
 */
export function decide(
  limits: ResolvedLimit[],
  allowed: boolean,
  outcomes: BucketOutcome[],
  quota?: QuotaOutcome | null,
  now = Date.now(),
): LimitDecision {
  const i = bindingLimit(limits, outcomes);
  if (quota) {
    const bucket = i < 0 ? null : outcomes[i];
    const quotaBinds = !quota.allowed
      ? !bucket || bucket.allowed || bucket.retryAfterMs <= quota.window.resetAt - now
      : !bucket || (bucket.allowed && quotaHeadroom(quota) < bucket.remaining / limits[i].limit.burst);
    if (quotaBinds) return { allowed, headers: quotaHeaders(quota, now) };
  }
  return { allowed, headers: i < 0 ? {} : rateLimitHeaders({ limit: limits[i].limit, outcome: outcomes[i] }) };
}

interface LocalBucket extends BucketState {
  limit: RateLimit;
}

/**
 * Buckets in this process only: each replica, and each worker process of a replica, limits on
 * its own. Quotas are counted by `quotas`, which a cluster shares between its workers.
 */
export class LocalRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, LocalBucket>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly quotas: QuotaCounter = new LocalQuotaStore(null, gatewayLog),
    sweepIntervalMs = 60_000,
  ) {
    // A full bucket is the same as no bucket: forgetting them bounds memory by active clients.
    this.sweeper = setInterval(() => this.sweep(Date.now()), sweepIntervalMs);
    this.sweeper.unref();
  }

  consume(limits: ResolvedLimit[], quota: ResolvedQuota | null = null, now = Date.now()): LimitDecision {
    const n = limits.length;
    const current: (LocalBucket | undefined)[] = new Array(n);
    const checks: BucketCheck[] = new Array(n);
    for (let i = 0; i < n; i++) {
      current[i] = this.buckets.get(limits[i].key);
      checks[i] = { limit: limits[i].limit, state: current[i] };
    }
    const result = takeAll(checks, now);
    let allowed = result.allowed;
    let quotaOutcome: QuotaOutcome | null = null;
    if (quota) {
      const window = monthWindow(now);
      const key = quotaPeriodKey(quota, window);
      // Counted only when every bucket had a token; otherwise only looked at, for the headers.
      let taken: { allowed: boolean; used: number };
      if (allowed) taken = this.quotas.take(key, quota.quota);
      else {
        const used = this.quotas.used(key);
        taken = { allowed: used < quota.quota, used };
      }
      quotaOutcome = { allowed: taken.allowed, used: taken.used, quota: quota.quota, window };
      allowed &&= taken.allowed;
    }
    if (allowed) {
      for (let i = 0; i < n; i++) {
        const bucket = current[i];
        if (bucket) {
          bucket.tokens = result.states[i].tokens;
          bucket.updatedAt = now;
          bucket.limit = limits[i].limit;
        } else {
          this.buckets.set(limits[i].key, { tokens: result.states[i].tokens, updatedAt: now, limit: limits[i].limit });
        }
      }
    }
    return decide(limits, allowed, result.outcomes, quotaOutcome, now);
  }

  sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (refill(bucket, bucket.limit, now) >= bucket.limit.burst) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.quotas.close();
  }
}
