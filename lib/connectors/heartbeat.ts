import type { ConnectionTestResult, TestConnectionContext } from "./types";

/** A pull gateway that has not sent a heartbeat for this long is shown as stale. */
export const GATEWAY_STALE_AFTER_MS = 60_000;

/** "5 s ago", "10 min ago": a duration in milliseconds as people read it. */
export function ago(ms: number): string {
  const s = Math.round(Math.max(0, ms) / 1000);
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/**
 * A pull gateway calls us, not the other way round: its connection test reports the last
 * heartbeat instead of making a remote call.
 */
export function heartbeatTest(label: string, ctx: TestConnectionContext): ConnectionTestResult {
  const { lastSeenAt, healthyInstances, totalInstances } = ctx.heartbeat;
  if (!lastSeenAt) {
    return { ok: false, message: `No ${label} instance has sent a heartbeat yet. Generate a gateway token and start the gateway with it.` };
  }
  const age = ctx.now.getTime() - lastSeenAt.getTime();
  if (age > GATEWAY_STALE_AFTER_MS) {
    return { ok: false, message: `The last heartbeat came ${ago(age)}: no ${label} instance is running, or none can reach Meridian.` };
  }
  const plural = healthyInstances === 1 ? "instance" : "instances";
  return { ok: true, message: `${healthyInstances} healthy ${plural} of ${totalInstances}; last heartbeat ${ago(age)}.` };
}
