import os from "node:os";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { parseEventSample } from "@/lib/domain/analytics/aggregate-batch";

/** What every agent needs, from flags or environment variables (the token preferably from MERIDIAN_GATEWAY_TOKEN). */
export interface AgentConfig {
  environment: string;
  controlPlaneUrl: string;
  token: string;
  /** The disk cache of the last good snapshot and the analytics spool. */
  cacheDir: string;
  region: string | null;
  /** Unique per agent replica and stable across its restarts: it names the replica's event spool. */
  instanceId: string;
  longPollSeconds: number;
  heartbeatIntervalMs: number;
  eventBatchSize: number;
  eventFlushMs: number;
  /**
   * Share (0..1) of successful requests also sent as raw events; every request is counted in the
   * per-minute aggregates and every error is sent (MERIDIAN_GATEWAY_EVENT_SAMPLE, 1% by default).
   */
  eventSample?: number;
  /** How often the applied snapshot is compiled again (time-dependent content, such as expired API keys); 60 s by default. */
  refreshIntervalMs?: number;
}

const schema = z.object({
  environment: z.string().min(1, "Name the environment (--environment or MERIDIAN_GATEWAY_ENVIRONMENT)."),
  controlPlaneUrl: z.url({ protocol: /^https?$/, error: "Give the control plane URL (--control-plane or MERIDIAN_CONTROL_PLANE_URL)." }),
  token: z.string().min(1, "Give the gateway token (MERIDIAN_GATEWAY_TOKEN)."),
  cacheDir: z.string().min(1),
  region: z.string().nullable(),
  instanceId: z.string().regex(/^[\w.:@-]{1,128}$/, "An instance id is at most 128 letters, digits and . _ : @ -."),
});

/** The kit's own flags; an agent adds its gateway's (`extra`) and reads them from `values`. */
export function loadAgentConfig(
  argv: string[],
  env: Record<string, string | undefined>,
  extra: ParseArgsConfig["options"] = {},
  defaults: { cacheDir: string; instanceSuffix: string },
): { config: AgentConfig; values: Record<string, string | boolean | undefined> } {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      environment: { type: "string" },
      "control-plane": { type: "string" },
      "cache-dir": { type: "string" },
      region: { type: "string" },
      "instance-id": { type: "string" },
      ...extra,
    },
  });
  const v = values as Record<string, string | undefined>;
  const parsed = schema.safeParse({
    environment: v.environment ?? env.MERIDIAN_GATEWAY_ENVIRONMENT,
    controlPlaneUrl: v["control-plane"] ?? env.MERIDIAN_CONTROL_PLANE_URL,
    token: env.MERIDIAN_GATEWAY_TOKEN ?? "",
    cacheDir: v["cache-dir"] ?? env.MERIDIAN_AGENT_CACHE_DIR ?? defaults.cacheDir,
    region: v.region ?? env.MERIDIAN_GATEWAY_REGION ?? null,
    instanceId:
      v["instance-id"] ?? env.MERIDIAN_GATEWAY_INSTANCE_ID ?? `${os.hostname()}-${defaults.instanceSuffix}`.replace(/[^\w.:@-]/g, "-"),
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join(" "));
  return {
    config: {
      ...parsed.data,
      longPollSeconds: 30,
      heartbeatIntervalMs: 10_000,
      eventBatchSize: 5_000,
      eventFlushMs: 1_000,
      eventSample: parseEventSample(env.MERIDIAN_GATEWAY_EVENT_SAMPLE),
    },
    values: values as Record<string, string | boolean | undefined>,
  };
}
