import type { Http1Response } from "../http1/server";
import { RESERVED_PATH_PREFIX } from "@/lib/domain/gateway/snapshot";
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
  /** The Prometheus exposition: this process's, or the whole cluster's. */
  metrics: () => Promise<{ text: string; contentType: string }>;
  /** Set in a worker of a multi-process gateway: how many workers serve. */
  cluster?: () => { ready: number; total: number; started: boolean } | null;
}

export async function handleOps(name: string, res: Http1Response, state: OpsState): Promise<void> {
  if (name === "healthz") return sendJson(res, 200, { status: "ok" });
  if (name === "readyz") {
    const version = state.appliedVersion();
    // Not ready while draining, so that load balancers stop sending before the port closes.
    if (state.draining()) return sendJson(res, 503, { status: "draining", version });
    if (!version) return sendJson(res, 503, { status: "no snapshot yet", version: null });
    const cluster = state.cluster?.();
    if (!cluster) return sendJson(res, 200, { status: "ready", version });
    const workers = { ready: cluster.ready, total: cluster.total };
    // Ready once every worker has started; a worker restarting later leaves the others serving.
    return cluster.started
      ? sendJson(res, 200, { status: "ready", version, workers })
      : sendJson(res, 503, { status: "starting", version, workers });
  }
  if (name === "metrics") {
    const { text, contentType } = await state.metrics();
    res.writeHead(200, { "content-type": contentType });
    res.end(text);
    return;
  }
  sendJson(res, 404, { status: "not found" });
}
