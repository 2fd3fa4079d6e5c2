import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { EventShipper } from "./analytics/event-shipper";
import { JwtVerifier } from "./auth/jwt-verifier";
import type { GatewayConfig } from "./config";
import { createRequestHandler } from "./http/request-handler";
import { LocalRateLimiter, type RateLimiter } from "./limits/rate-limiter";
import { RedisRateLimiter } from "./limits/redis-rate-limiter";
import { gatewayLog, type GatewayLog } from "./log";
import { GatewayMetrics } from "./observability/metrics";
import { UpstreamProxy } from "./proxy/upstream-proxy";
import { compileSnapshot, type RuntimeSnapshot } from "./runtime-snapshot";
import { ControlPlaneClient } from "./sync/control-plane-client";
import { startHeartbeat } from "./sync/heartbeat";
import { SnapshotSync } from "./sync/snapshot-sync";

export interface RunningGateway {
  port: number;
  url: string;
  metrics: GatewayMetrics;
  appliedVersion: () => string | null;
  /** Stops taking requests, drains those in flight (up to the drain timeout), spools events. */
  stop: () => Promise<void>;
}

/**
 * Wires one gateway: disk cache and sync first (so it serves the last good snapshot even when
 * the control plane is down at start), then the HTTP server.
 */
export async function startGateway(config: GatewayConfig, log: GatewayLog = gatewayLog): Promise<RunningGateway> {
  const envDir = path.join(config.cacheDir, encodeURIComponent(config.environment));
  const metrics = new GatewayMetrics();
  const client = new ControlPlaneClient(config.controlPlaneUrl, config.token);
  const verifier = new JwtVerifier(config.tokenCacheSize);
  const startedAt = new Date().toISOString();
  let runtime: RuntimeSnapshot | null = null;
  let draining = false;

  let limiter: RateLimiter;
  if (config.redisUrl) {
    const redis = new RedisRateLimiter(config.redisUrl, `meridian:rl:{${config.environment}}:`, log);
    await redis.connect();
    limiter = redis;
  } else {
    limiter = new LocalRateLimiter();
  }

  const sync = new SnapshotSync({
    client,
    environment: config.environment,
    cacheFile: path.join(envDir, "snapshot.json"),
    longPollSeconds: config.longPollSeconds,
    apply: async (snapshot: Snapshot) => {
      runtime = await compileSnapshot(snapshot);
    },
    log,
    metrics,
  });
  await sync.loadCache();
  sync.start();

  const events = new EventShipper({
    // Per instance: two replicas sharing a cache directory must not send each other's batches.
    dir: path.join(envDir, "events", encodeURIComponent(config.instanceId)),
    send: (batch) => client.postEvents(batch),
    batchSize: config.eventBatchSize,
    flushMs: config.eventFlushMs,
    maxPendingBatches: 2_000,
    log,
    metrics,
  });
  await events.start();

  const stopHeartbeat = startHeartbeat(
    client,
    config.heartbeatIntervalMs,
    () => ({ instanceId: config.instanceId, region: config.region, appliedVersion: sync.appliedVersion, startedAt }),
    log,
  );

  const proxy = new UpstreamProxy({ connectTimeoutMs: config.connectTimeoutMs, headersTimeoutMs: config.upstreamTimeoutMs, bodyTimeoutMs: config.bodyTimeoutMs });
  const handler = createRequestHandler({
    runtime: () => runtime,
    verifier,
    limiter,
    proxy,
    metrics,
    events,
    ops: { appliedVersion: () => sync.appliedVersion, draining: () => draining, metrics },
    log,
    environment: config.environment,
    instanceId: config.instanceId,
    region: config.region,
    // A keep-alive connection whose last request ended while draining is closed at once.
    onDone: () => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    },
  });

  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    // While draining, every response closes its connection so clients reconnect elsewhere.
    if (draining) res.setHeader("connection", "close");
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port, environment: config.environment, instanceId: config.instanceId, redis: !!config.redisUrl }, "Gateway listening");

  let stopping: Promise<void> | null = null;
  async function stop(): Promise<void> {
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), config.drainTimeoutMs);
    await closed;
    clearTimeout(timer);
    stopHeartbeat();
    await sync.stop();
    await events.stop();
    await Promise.all([limiter.close(), proxy.close(), client.close()]);
    log.info("Gateway stopped");
  }

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    metrics,
    appliedVersion: () => sync.appliedVersion,
    stop: () => (stopping ??= stop()),
  };
}
