import type { RateLimit, Tier } from "./snapshot";
import type { BucketOutcome } from "./token-bucket";

/**
 * Which buckets a request draws from. Each limit counts a different population, so each has
 * its own bucket; a request passes only when all of them have a token, which makes the
 * tightest one apply.
 * - subscription tier: this application's calls to this API;
 * - API limit: every call to the API (it protects the backend);
 * - operation limit: every call to that operation;
 * - application policy: this application's calls to any API of the environment.
 */

export type LimitScope = "subscription" | "api" | "operation" | "application";

export interface ResolvedLimit {
  scope: LimitScope;
  /** Bucket key, unique per counted population within one environment. */
  key: string;
  limit: RateLimit;
}

export interface LimitInput {
  apiId: string;
  apiLimit?: RateLimit;
  /** `METHOD /template`. */
  operationKey: string;
  operationLimit?: RateLimit;
  /** Null for open operations and unsecured APIs: only API and operation limits apply. */
  applicationId: string | null;
  tier?: Tier | null;
  applicationPolicy?: RateLimit;
}

export function resolveLimits(input: LimitInput): ResolvedLimit[] {
  const limits: ResolvedLimit[] = [];
  const app = input.applicationId;
  if (app !== null && input.tier && !input.tier.unlimited) {
    const { requests, unit, burst } = input.tier;
    limits.push({ scope: "subscription", key: `sub:${app}:${input.apiId}`, limit: { requests, unit, burst } });
  }
  if (input.apiLimit) limits.push({ scope: "api", key: `api:${input.apiId}`, limit: input.apiLimit });
  if (input.operationLimit)
    limits.push({ scope: "operation", key: `op:${input.apiId}:${input.operationKey}`, limit: input.operationLimit });
  if (app !== null && input.applicationPolicy) limits.push({ scope: "application", key: `app:${app}`, limit: input.applicationPolicy });
  return limits;
}

/**
 * The bucket whose numbers the client should see: when refused, the refusing bucket that frees
 * up last; otherwise the one with the fewest tokens left relative to its capacity.
 */
export function bindingLimit(limits: ResolvedLimit[], outcomes: BucketOutcome[]): number {
  let best = -1;
  for (let i = 0; i < limits.length; i++) {
    if (best < 0) {
      best = i;
      continue;
    }
    const a = outcomes[i];
    const b = outcomes[best];
    if (a.allowed !== b.allowed) {
      if (!a.allowed) best = i;
    } else if (
      !a.allowed ? a.retryAfterMs > b.retryAfterMs : a.remaining / limits[i].limit.burst < b.remaining / limits[best].limit.burst
    ) {
      best = i;
    }
  }
  return best;
}
