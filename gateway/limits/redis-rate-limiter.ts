import { Redis } from "ioredis";
import type { ResolvedLimit } from "@/lib/domain/gateway/limit-resolution";
import { monthWindow, quotaPeriodKey, type ResolvedQuota } from "@/lib/domain/gateway/quota";
import { bucketOutcome, refillRatePerMs } from "@/lib/domain/gateway/token-bucket";
import type { GatewayLog } from "../log";
import type { QuotaCounter } from "./quota-counter";
import { decide, LocalRateLimiter, type LimitDecision, type RateLimiter } from "./rate-limiter";

/**
 * The token buckets of `lib/domain/gateway/token-bucket.ts` and the monthly quota count, in one
 * Lua script so that all limits of a request are read, decided and written atomically for every
 * replica. Time comes from the Redis server so replicas with skewed clocks agree. A bucket
 * expires once it would be full again; a quota count a day after its month ends (the margin
 * covers gateways whose clocks are a little behind).
 * KEYS: the buckets, then the quota count if any; ARGV: the number of buckets, (rate per ms,
 * burst) per bucket, then the quota and its month's end (epoch ms). Returns the decision, the
 * quota count (-1 without quota), then the tokens left in each bucket (as strings: Redis would
 * truncate Lua numbers to integers).
 */
const TAKE_ALL = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = tonumber(ARGV[1])
local levels = {}
local allowed = 1
for i = 1, n do
  local rate = tonumber(ARGV[2 * i])
  local burst = tonumber(ARGV[2 * i + 1])
  local s = redis.call('HMGET', KEYS[i], 't', 'u')
  local tokens = burst
  if s[1] then
    tokens = math.min(burst, tonumber(s[1]) + math.max(0, now - tonumber(s[2])) * rate)
  end
  levels[i] = tokens
  if tokens < 1 then allowed = 0 end
end
local used = -1
if #KEYS > n then
  used = tonumber(redis.call('GET', KEYS[n + 1]) or '0')
  if used >= tonumber(ARGV[2 * n + 2]) then allowed = 0 end
end
local out = { allowed, used }
for i = 1, n do
  local tokens = levels[i]
  if allowed == 1 then
    tokens = tokens - 1
    local rate = tonumber(ARGV[2 * i])
    local burst = tonumber(ARGV[2 * i + 1])
    redis.call('HSET', KEYS[i], 't', tostring(tokens), 'u', now)
    redis.call('PEXPIRE', KEYS[i], math.ceil((burst - tokens) / rate) + 1000)
  end
  out[i + 2] = tostring(tokens)
end
if allowed == 1 and #KEYS > n then
  out[2] = redis.call('INCR', KEYS[n + 1])
  redis.call('PEXPIREAT', KEYS[n + 1], tonumber(ARGV[2 * n + 3]) + 86400000)
end
return out
`;

type RedisWithTakeAll = Redis & { meridianTakeAll(numKeys: number, ...args: (string | number)[]): Promise<[number, number, ...string[]]> };

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: RedisWithTakeAll;
  /** When Redis cannot answer, each replica limits on its own rather than refusing traffic. */
  private readonly fallback: LocalRateLimiter;
  private lastWarning = 0;

  constructor(
    url: string,
    /** Keeps environments apart; the braces put one environment's keys in one cluster slot. */
    private readonly prefix: string,
    private readonly log: GatewayLog,
    /** Counts quotas while Redis is unreachable. */
    fallbackQuotas?: QuotaCounter,
  ) {
    const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 });
    redis.defineCommand("meridianTakeAll", { lua: TAKE_ALL });
    redis.on("error", (error) => this.warn(error));
    this.redis = redis as RedisWithTakeAll;
    this.fallback = new LocalRateLimiter(fallbackQuotas);
  }

  async connect(): Promise<void> {
    await this.redis.connect().catch((error) => this.warn(error));
  }

  private warn(error: unknown): void {
    if (Date.now() - this.lastWarning < 30_000) return;
    this.lastWarning = Date.now();
    this.log.warn({ err: error }, "Redis unavailable: rate limits and quotas are local to this replica until it is back");
  }

  async consume(limits: ResolvedLimit[], quota: ResolvedQuota | null = null): Promise<LimitDecision> {
    const now = Date.now();
    const window = quota ? monthWindow(now) : null;
    const args: (string | number)[] = limits.map((l) => `${this.prefix}${l.key}`);
    if (quota) args.push(`${this.prefix}${quotaPeriodKey(quota, window!)}`);
    args.push(limits.length);
    for (const l of limits) args.push(refillRatePerMs(l.limit), l.limit.burst);
    if (quota) args.push(quota.quota, window!.resetAt);
    try {
      const [allowed, used, ...levels] = await this.redis.meridianTakeAll(limits.length + (quota ? 1 : 0), ...args);
      const ok = allowed === 1;
      const outcomes = levels.map((level, i) => bucketOutcome(Number(level), ok || Number(level) >= 1, limits[i].limit));
      const quotaOutcome = quota ? { allowed: ok || used < quota.quota, used, quota: quota.quota, window: window! } : null;
      return decide(limits, ok, outcomes, quotaOutcome, now);
    } catch (error) {
      this.warn(error);
      return this.fallback.consume(limits, quota, now);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    this.redis.disconnect();
  }
}
