import { Redis } from "ioredis";
import type { ResolvedLimit } from "@/lib/domain/gateway/limit-resolution";
import { bucketOutcome, refillRatePerMs } from "@/lib/domain/gateway/token-bucket";
import type { GatewayLog } from "../log";
import { decide, LocalRateLimiter, type LimitDecision, type RateLimiter } from "./rate-limiter";

/**
 * The token buckets of `lib/domain/gateway/token-bucket.ts`, in one Lua script so that all
 * buckets of a request are read, decided and written atomically for every replica. Time comes
 * from the Redis server so replicas with skewed clocks agree. A bucket expires once it would be
 * full again.
 * KEYS: the buckets; ARGV: (rate per ms, burst) per bucket. Returns the decision then the
 * tokens left in each bucket (as strings: Redis would truncate Lua numbers to integers).
 */
const TAKE_ALL = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local levels = {}
local allowed = 1
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local s = redis.call('HMGET', KEYS[i], 't', 'u')
  local tokens = burst
  if s[1] then
    tokens = math.min(burst, tonumber(s[1]) + math.max(0, now - tonumber(s[2])) * rate)
  end
  levels[i] = tokens
  if tokens < 1 then allowed = 0 end
end
local out = { allowed }
for i = 1, #KEYS do
  local tokens = levels[i]
  if allowed == 1 then
    tokens = tokens - 1
    local rate = tonumber(ARGV[2 * i - 1])
    local burst = tonumber(ARGV[2 * i])
    redis.call('HSET', KEYS[i], 't', tostring(tokens), 'u', now)
    redis.call('PEXPIRE', KEYS[i], math.ceil((burst - tokens) / rate) + 1000)
  end
  out[i + 1] = tostring(tokens)
end
return out
`;

type RedisWithTakeAll = Redis & { meridianTakeAll(numKeys: number, ...args: (string | number)[]): Promise<[number, ...string[]]> };

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: RedisWithTakeAll;
  /** When Redis cannot answer, each replica limits on its own rather than refusing traffic. */
  private readonly fallback = new LocalRateLimiter();
  private lastWarning = 0;

  constructor(
    url: string,
    /** Keeps environments apart; the braces put one environment's keys in one cluster slot. */
    private readonly prefix: string,
    private readonly log: GatewayLog,
  ) {
    const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 });
    redis.defineCommand("meridianTakeAll", { lua: TAKE_ALL });
    redis.on("error", (error) => this.warn(error));
    this.redis = redis as RedisWithTakeAll;
  }

  async connect(): Promise<void> {
    await this.redis.connect().catch((error) => this.warn(error));
  }

  private warn(error: unknown): void {
    if (Date.now() - this.lastWarning < 30_000) return;
    this.lastWarning = Date.now();
    this.log.warn({ err: error }, "Redis unavailable: rate limits are local to this replica until it is back");
  }

  async consume(limits: ResolvedLimit[]): Promise<LimitDecision> {
    const args: (string | number)[] = limits.map((l) => `${this.prefix}${l.key}`);
    for (const l of limits) args.push(refillRatePerMs(l.limit), l.limit.burst);
    try {
      const [allowed, ...levels] = await this.redis.meridianTakeAll(limits.length, ...args);
      const ok = allowed === 1;
      const outcomes = levels.map((level, i) => bucketOutcome(Number(level), ok || Number(level) >= 1, limits[i].limit));
      return decide(limits, ok, outcomes);
    } catch (error) {
      this.warn(error);
      return this.fallback.consume(limits);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    this.redis.disconnect();
  }
}
