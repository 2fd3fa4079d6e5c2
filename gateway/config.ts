import net from "node:net";
import os from "node:os";
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseEventSample } from "@/lib/domain/analytics/aggregate-batch";

export const DEFAULTS = {
  longPollSeconds: 30,
  heartbeatIntervalMs: 10_000,
  connectTimeoutMs: 5_000,
  upstreamTimeoutMs: 30_000,
  bodyTimeoutMs: 60_000,
  drainTimeoutMs: 25_000,
  eventBatchSize: 5_000,
  eventFlushMs: 1_000,
  eventSample: 0.01,
  tokenCacheSize: 10_000,
  workers: 1,
  headTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  trustedProxies: [] as string[],
} as const;

/**
 * Settings from flags, else from environment variables. The gateway token is better passed in
 * MERIDIAN_GATEWAY_TOKEN: a flag shows in the process list.
 */
const configSchema = z.object({
  environment: z.string().min(1, "Name the environment (--environment or MERIDIAN_GATEWAY_ENVIRONMENT)."),
  port: z.coerce.number().int().min(0).max(65535).default(8280),
  host: z.string().default("0.0.0.0"),
  controlPlaneUrl: z.url({ protocol: /^https?$/, error: "Give the control plane URL (--control-plane or MERIDIAN_CONTROL_PLANE_URL)." }),
  token: z.string().min(1, "Give the gateway token (MERIDIAN_GATEWAY_TOKEN or --token)."),
  cacheDir: z.string().min(1).default(".data/gateway"),
  redisUrl: z.string().optional(),
  region: z.string().nullable().default(null),
  instanceId: z.string().min(1).optional(),
  headTimeoutMs: z.coerce.number().int().min(100).max(600_000).default(DEFAULTS.headTimeoutMs),
  requestTimeoutMs: z.coerce.number().int().min(100).max(3_600_000).default(DEFAULTS.requestTimeoutMs),
  trustedProxies: z
    .string()
    .default("")
    .transform((list, ctx) => {
      const entries = list
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean);
      for (const entry of entries) {
        if (parseProxyEntry(entry)) continue;
        ctx.addIssue({
          code: "custom",
          message: `--trusted-proxies (MERIDIAN_GATEWAY_TRUSTED_PROXIES) takes IP addresses and CIDR ranges; ${JSON.stringify(entry)} is neither.`,
        });
        return z.NEVER;
      }
      return entries;
    }),
  workers: z
    .string()
    .default("1")
    .transform((w, ctx) => {
      if (w === "auto") return os.availableParallelism();
      const n = Number(w);
      if (Number.isInteger(n) && n >= 1 && n <= 256) return n;
      ctx.addIssue({ code: "custom", message: "--workers (MERIDIAN_GATEWAY_WORKERS) is a number from 1 to 256, or auto." });
      return z.NEVER;
    }),
});

export interface GatewayConfig {
  environment: string;
  port: number;
  host: string;
  controlPlaneUrl: string;
  token: string;
  cacheDir: string;
  redisUrl?: string;
  region: string | null;
  /** Unique per replica and stable across its restarts: it names the replica's event spool. */
  instanceId: string;
  /** Seconds a snapshot long poll may be held by the control plane. */
  longPollSeconds: number;
  heartbeatIntervalMs: number;
  connectTimeoutMs: number;
  /** Default time to the upstream's response headers; an API may set its own. */
  upstreamTimeoutMs: number;
  /** Longest pause between two chunks of an upstream body. */
  bodyTimeoutMs: number;
  /** How long SIGTERM waits for requests in flight. */
  drainTimeoutMs: number;
  eventBatchSize: number;
  eventFlushMs: number;
  /**
   * Share (0..1) of successful requests also sent as raw events (MERIDIAN_GATEWAY_EVENT_SAMPLE,
   * `0.01` or `1%`; default 1%). Every request is counted in the per-minute aggregates and every
   * error is sent raw whatever the share.
   */
  eventSample: number;
  /** Verified tokens kept in memory. */
  tokenCacheSize: number;
  /** A client's request head must arrive within this long of its first byte (slow-head attacks). */
  headTimeoutMs: number;
  /** A client's request must have arrived and been answered within this long of its head. */
  requestTimeoutMs: number;
  /**
   * Addresses and CIDR ranges of front proxies (load balancers) whose X-Forwarded-*, Forwarded,
   * X-Real-IP and Via fields the gateway keeps and extends; from anyone else they are replaced.
   */
  trustedProxies: string[];
  /**
   * Processes serving the port: 1 serves in this process; more fork that many workers behind
   * one primary (`auto`: one per CPU). Without Redis, rate limits are kept per worker, so a
   * client spread over several connections may get up to this many times its tier's rate;
   * set REDIS_URL for exact shared limits. Quotas are shared by the workers either way.
   */
  workers: number;
}

export function loadConfig(argv: string[], env: Record<string, string | undefined>): GatewayConfig {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      environment: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      "control-plane": { type: "string" },
      token: { type: "string" },
      "cache-dir": { type: "string" },
      "redis-url": { type: "string" },
      region: { type: "string" },
      "instance-id": { type: "string" },
      workers: { type: "string" },
      "head-timeout": { type: "string" },
      "request-timeout": { type: "string" },
      "trusted-proxies": { type: "string" },
    },
  });
  const parsed = configSchema.safeParse({
    environment: values.environment ?? env.MERIDIAN_GATEWAY_ENVIRONMENT ?? "",
    port: values.port ?? env.MERIDIAN_GATEWAY_PORT,
    host: values.host ?? env.MERIDIAN_GATEWAY_HOST,
    controlPlaneUrl: values["control-plane"] ?? env.MERIDIAN_CONTROL_PLANE_URL,
    token: values.token ?? env.MERIDIAN_GATEWAY_TOKEN ?? "",
    cacheDir: values["cache-dir"] ?? env.MERIDIAN_GATEWAY_CACHE_DIR,
    redisUrl: values["redis-url"] ?? (env.REDIS_URL || undefined),
    region: values.region ?? env.MERIDIAN_GATEWAY_REGION ?? null,
    instanceId: values["instance-id"] ?? env.MERIDIAN_GATEWAY_INSTANCE_ID,
    workers: values.workers ?? (env.MERIDIAN_GATEWAY_WORKERS || undefined),
    headTimeoutMs: values["head-timeout"] ?? (env.MERIDIAN_GATEWAY_HEAD_TIMEOUT_MS || undefined),
    requestTimeoutMs: values["request-timeout"] ?? (env.MERIDIAN_GATEWAY_REQUEST_TIMEOUT_MS || undefined),
    trustedProxies: values["trusted-proxies"] ?? env.MERIDIAN_GATEWAY_TRUSTED_PROXIES,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join(" "));
  const c = parsed.data;
  return {
    ...DEFAULTS,
    ...c,
    eventSample: parseEventSample(env.MERIDIAN_GATEWAY_EVENT_SAMPLE),
    controlPlaneUrl: c.controlPlaneUrl.replace(/\/+$/, ""),
    // The host name and port stay the same when a replica restarts, unlike a pid.
    instanceId: c.instanceId ?? `${os.hostname()}-${c.port}`,
  };
}

/** An address or CIDR range of `--trusted-proxies`: [address, prefix length, family], or null. */
export function parseProxyEntry(entry: string): [string, number, "ipv4" | "ipv6"] | null {
  const [address, prefix, extra] = entry.split("/");
  const version = net.isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  const bits = prefix === undefined ? max : /^\d+$/.test(prefix) ? Number(prefix) : -1;
  if (bits < 0 || bits > max) return null;
  return [address, bits, version === 4 ? "ipv4" : "ipv6"];
}

/** The trusted proxies as a block list the server checks each connection's peer against (null: none). */
export function trustedProxyList(entries: string[]): net.BlockList | null {
  if (entries.length === 0) return null;
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address, bits, family] = parseProxyEntry(entry)!;
    list.addSubnet(address, bits, family);
  }
  return list;
}
