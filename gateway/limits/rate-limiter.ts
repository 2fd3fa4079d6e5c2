import { bindingLimit, type ResolvedLimit } from "@/lib/domain/gateway/limit-resolution";
import { rateLimitHeaders, refill, takeAll, type BucketOutcome, type BucketState } from "@/lib/domain/gateway/token-bucket";
import type { RateLimit } from "@/lib/domain/gateway/snapshot";

export interface LimitDecision {
  allowed: boolean;
  /** RateLimit-* (and Retry-After when refused) of the binding bucket. */
  headers: Record<string, string>;
}

/** Takes one token from each bucket of a request, all or none. */
export interface RateLimiter {
  consume(limits: ResolvedLimit[]): LimitDecision | Promise<LimitDecision>;
  close(): Promise<void>;
}

export function decide(limits: ResolvedLimit[], allowed: boolean, outcomes: BucketOutcome[]): LimitDecision {
  const i = bindingLimit(limits, outcomes);
  return { allowed, headers: i < 0 ? {} : rateLimitHeaders({ limit: limits[i].limit, outcome: outcomes[i] }) };
}

interface LocalBucket extends BucketState {
  limit: RateLimit;
}

/** Buckets in this process only: each replica limits on its own. */
export class LocalRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, LocalBucket>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepIntervalMs = 60_000) {
    // A full bucket is the same as no bucket: forgetting them bounds memory by active clients.
    this.sweeper = setInterval(() => this.sweep(Date.now()), sweepIntervalMs);
    this.sweeper.unref();
  }

  consume(limits: ResolvedLimit[], now = Date.now()): LimitDecision {
    const current = limits.map((l) => this.buckets.get(l.key));
    const result = takeAll(limits.map((l, i) => ({ limit: l.limit, state: current[i] })), now);
    if (result.allowed) {
      limits.forEach((l, i) => {
        const bucket = current[i];
        if (bucket) {
          bucket.tokens = result.states[i].tokens;
          bucket.updatedAt = now;
          bucket.limit = l.limit;
        } else {
          this.buckets.set(l.key, { ...result.states[i], limit: l.limit });
        }
      });
    }
    return decide(limits, result.allowed, result.outcomes);
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
  }
}
