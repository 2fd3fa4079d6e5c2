import { GATEWAY_STALE_AFTER_MS } from "@/lib/connectors/heartbeat";
import type { ConnectorDescriptor } from "@/lib/connectors/types";

export type HealthStatus = "healthy" | "degraded" | "down" | "unknown";

export interface EnvironmentHealth {
  status: HealthStatus;
  detail: string;
}

export interface InstanceCounts {
  healthy: number;
  total: number;
}

export function isInstanceHealthy(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() <= GATEWAY_STALE_AFTER_MS;
}

/**
 * Pull gateways are judged by their heartbeats; push gateways by their last connection test,
 * since Meridian only hears from them when it calls.
 */
export function environmentHealth(
  descriptor: ConnectorDescriptor,
  instances: InstanceCounts,
  lastTest: { at: Date | null; ok: boolean | null; message: string | null },
): EnvironmentHealth {
  if (descriptor.capabilities.delivery === "pull") {
    if (instances.total === 0) return { status: "unknown", detail: "No gateway instance has connected yet." };
    if (instances.healthy === 0) return { status: "down", detail: `All ${instances.total} recent instances are stale.` };
    if (instances.healthy < instances.total)
      return { status: "degraded", detail: `${instances.healthy} of ${instances.total} instances healthy.` };
    return { status: "healthy", detail: `${instances.healthy} healthy ${instances.healthy === 1 ? "instance" : "instances"}.` };
  }
  if (!lastTest.at) return { status: "unknown", detail: "Connection never tested." };
  return lastTest.ok
    ? { status: "healthy", detail: "Last connection test passed." }
    : { status: "down", detail: lastTest.message ?? "Last connection test failed." };
}
