import type { ServerResponse } from "node:http";
import { RESERVED_PATH_PREFIX } from "@/lib/domain/gateway/snapshot";
import type { GatewayMetrics } from "../observability/metrics";
import { sendJson } from "./respond";

/**
 * The gateway's own endpoints. Always at `/__meridian/{healthz,readyz,metrics}` (a prefix no
 * API context may use); also at `/healthz`, `/readyz` and `/metrics` unless an API's context
 * takes that path, in which case the API wins and probes should use the prefixed form.
 */

export const OPS_ENDPOINTS = new Set(["healthz", "readyz", "metrics"]);
export const OPS_PREFIX = `${RESERVED_PATH_PREFIX}/`;

export interface OpsState {
  appliedVersion: () => string | null;
  draining: () => boolean;
  metrics: GatewayMetrics;
}

export async function handleOps(name: string, res: ServerResponse, state: OpsState): Promise<void> {
  if (name === "healthz") return sendJson(res, 200, { status: "ok" });
  if (name === "readyz") {
    const version = state.appliedVersion();
    // Not ready while draining, so that load balancers stop sending before the port closes.
    if (state.draining()) return sendJson(res, 503, { status: "draining", version });
    return version ? sendJson(res, 200, { status: "ready", version }) : sendJson(res, 503, { status: "no snapshot yet", version: null });
  }
  if (name === "metrics") {
    const body = await state.metrics.registry.metrics();
    res.writeHead(200, { "content-type": state.metrics.registry.contentType });
    res.end(body);
    return;
  }
  sendJson(res, 404, { status: "not found" });
}
