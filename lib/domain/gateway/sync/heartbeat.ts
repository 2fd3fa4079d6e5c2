import type { Heartbeat } from "@/lib/domain/gateway/snapshot";
import type { SyncLog as GatewayLog } from "./ports";
import type { ControlPlaneClient } from "./control-plane-client";

/** Tells the control plane every `intervalMs` which snapshot this instance serves. */
export function startHeartbeat(client: ControlPlaneClient, intervalMs: number, body: () => Heartbeat, log: GatewayLog): () => void {
  let failing = false;
  const beat = async () => {
    try {
      const status = await client.postHeartbeat(body());
      if (status >= 300) throw new Error(`status ${status}`);
      failing = false;
    } catch (error) {
      // One warning per outage: a heartbeat every 10 s would otherwise flood the log.
      if (!failing) log.warn({ err: error }, "Heartbeat failed");
      failing = true;
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
