import path from "node:path";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { EventShipper, type EventSink } from "@/lib/domain/gateway/sync/event-shipper";
import { JwtVerifier } from "./auth/jwt-verifier";
import { eventForwarder, type WorkerLink } from "./cluster/worker-link";
import { trustedProxyList, type GatewayConfig } from "./config";
import { Http1Server } from "./http1/server";
import { createRequestHandler } from "./http/request-handler";
import { LocalQuotaStore, SyncedQuotaCounter, type QuotaCounter } from "./limits/quota-counter";
import { LocalRateLimiter, type RateLimiter } from "./limits/rate-limiter";
import { RedisRateLimiter } from "./limits/redis-rate-limiter";
import { gatewayLog, type GatewayLog } from "./log";
import { GatewayMetrics } from "./observability/metrics";
import { UpstreamProxy } from "./proxy/upstream-proxy";
import { compileSnapshot, type RuntimeSnapshot } from "./runtime-snapshot";
import { ControlPlaneClient } from "@/lib/domain/gateway/sync/control-plane-client";
import { startHeartbeat } from "@/lib/domain/gateway/sync/heartbeat";
import { SnapshotSync } from "@/lib/domain/gateway/sync/snapshot-sync";

export interface RunningGateway {
  port: number;
  url: string;
  metrics: GatewayMetrics;
  appliedVersion: () => string | null;
  /** Stops taking requests, drains those in flight (up to the drain timeout), spools events. */
  stop: () => Promise<void>;
}

/** One environment's directory in the cache directory: snapshot, event spool, quota counts. */
export function environmentDir(config: GatewayConfig): string {
  return path.join(config.cacheDir, encodeURIComponent(config.environment));
}

/** What one replica does once, whether it runs alone or as a cluster's primary. */
export interface ReplicaDuties {
  /** The analytics spool and sender. */
  events: EventShipper;
  appliedVersion: () => string | null;
  stop: () => Promise<void>;
}

/**
 * Syncs the snapshot (the disk cache first, so that the last good snapshot serves even when the
 * control plane is down at start) and hands each one to `apply`; spools and sends analytics;
 * sends heartbeats.
 */
export async function startReplicaDuties(
  config: GatewayConfig,
  client: ControlPlaneClient,
  metrics: GatewayMetrics,
  log: GatewayLog,
  apply: (snapshot: Snapshot) => Promise<void>,
): Promise<ReplicaDuties> {
  const envDir = environmentDir(config);
  const sync = new SnapshotSync({
    client,
    environment: config.environment,
    cacheFile: path.join(envDir, "snapshot.json"),
    longPollSeconds: config.longPollSeconds,
    apply,
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
    events: { successSample: config.eventSample },
    maxPendingBatches: 2_000,
    log,
    metrics,
  });
  await events.start();

  const startedAt = new Date().toISOString();
  const stopHeartbeat = startHeartbeat(
    client,
    config.heartbeatIntervalMs,
    () => ({
      instanceId: config.instanceId,
      region: config.region,
      appliedVersion: sync.appliedVersion,
      appliedAt: sync.appliedAt,
      startedAt,
    }),
    log,
  );
  return {
    events,
    appliedVersion: () => sync.appliedVersion,
    stop: async () => {
      stopHeartbeat();
      await sync.stop();
      await events.stop();
    },
  };
}

export function quotaFile(config: GatewayConfig): string {
  // Per instance, like the event spool: replicas sharing a directory keep their own counts.
  return path.join(environmentDir(config), "quotas", `${encodeURIComponent(config.instanceId)}.json`);
}

export async function createLimiter(config: GatewayConfig, quotas: QuotaCounter, log: GatewayLog): Promise<RateLimiter> {
  if (!config.redisUrl) return new LocalRateLimiter(quotas);
  const redis = new RedisRateLimiter(config.redisUrl, `meridian:rl:{${config.environment}}:`, log, quotas);
  await redis.connect();
  return redis;
}

/** What differs between a gateway on its own and a worker of a multi-process one. */
interface Role {
  events: EventSink;
  limiter: RateLimiter;
  appliedVersion: () => string | null;
  metricsText: () => Promise<{ text: string; contentType: string }>;
  cluster?: () => { ready: number; total: number; started: boolean } | null;
  stop: () => Promise<void>;
}

/** On its own, a gateway does a replica's duties itself and keeps the quota counts' file. */
async function standalone(
  config: GatewayConfig,
  metrics: GatewayMetrics,
  setRuntime: (r: RuntimeSnapshot) => void,
  log: GatewayLog,
): Promise<Role> {
  const client = new ControlPlaneClient(config.controlPlaneUrl, config.token);
  const quotas = new LocalQuotaStore(quotaFile(config), log);
  await quotas.load();
  const limiter = await createLimiter(config, quotas, log);
  const duties = await startReplicaDuties(config, client, metrics, log, async (snapshot) => setRuntime(await compileSnapshot(snapshot)));
  return {
    events: duties.events,
    limiter,
    appliedVersion: duties.appliedVersion,
    metricsText: async () => ({ text: await metrics.registry.metrics(), contentType: metrics.registry.contentType }),
    stop: async () => {
      await duties.stop();
      await Promise.all([limiter.close(), client.close()]);
    },
  };
}

/** A worker of a multi-process gateway: everything once-per-replica is the primary's. */
async function worker(
  config: GatewayConfig,
  metrics: GatewayMetrics,
  setRuntime: (r: RuntimeSnapshot) => void,
  link: WorkerLink,
  log: GatewayLog,
): Promise<Role> {
  let applied: string | null = null;
  let applying: Promise<void> = Promise.resolve();
  link.onSnapshot = (snapshot) => {
    // In order, so that an older snapshot never replaces a newer one.
    applying = applying.then(async () => {
      try {
        setRuntime(await compileSnapshot(snapshot));
        applied = snapshot.version;
        metrics.snapshotApplied(snapshot.version);
      } catch (error) {
        log.error({ err: error, version: snapshot.version }, "A worker could not apply the snapshot");
      }
    });
  };
  link.collectMetrics = () => metrics.registry.getMetricsAsJSON();
  await link.ready();
  await applying;
  const quotas = new SyncedQuotaCounter((deltas) => link.syncQuotas(deltas));
  const limiter = await createLimiter(config, quotas, log);
  const events = eventForwarder(
    link,
    config.eventBatchSize,
    config.eventFlushMs,
    (error) => log.error({ err: error }, "Could not hand analytics events to the primary"),
    { successSample: config.eventSample },
  );
  return {
    events,
    limiter,
    appliedVersion: () => applied,
    metricsText: () => link.metricsText(),
    cluster: () => link.cluster(),
    stop: async () => {
      await events.flush();
      await limiter.close();
    },
  };
}

/** Wires one gateway process: alone, or as a worker of a multi-process gateway when `link` is given. */
export async function startGateway(config: GatewayConfig, log: GatewayLog = gatewayLog, link?: WorkerLink): Promise<RunningGateway> {
  const metrics = new GatewayMetrics();
  const verifier = new JwtVerifier(config.tokenCacheSize);
  let runtime: RuntimeSnapshot | null = null;
  let draining = false;
  const setRuntime = (r: RuntimeSnapshot) => {
    runtime = r;
  };
  const role = link ? await worker(config, metrics, setRuntime, link, log) : await standalone(config, metrics, setRuntime, log);

  const proxy = new UpstreamProxy({
    connectTimeoutMs: config.connectTimeoutMs,
    headersTimeoutMs: config.upstreamTimeoutMs,
    bodyTimeoutMs: config.bodyTimeoutMs,
  });
  const handler = createRequestHandler({
    runtime: () => runtime,
    verifier,
    limiter: role.limiter,
    proxy,
    metrics,
    events: role.events,
    ops: { appliedVersion: role.appliedVersion, draining: () => draining, metrics: role.metricsText, cluster: role.cluster },
    log,
    environment: config.environment,
    instanceId: config.instanceId,
    region: config.region,
    // A keep-alive connection whose last request ended while draining is closed at once.
    onDone: () => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    },
  });

  // While draining, every response closes its connection so clients reconnect elsewhere.
  const server = new Http1Server(handler, {
    keepAliveTimeoutMs: 65_000,
    headersTimeoutMs: config.headTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    trustedProxies: trustedProxyList(config.trustedProxies),
  });
  server.onError = (error) => log.error({ err: error }, "Request listener failed");
  await server.listen(config.port, config.host);
  const port = server.address().port;
  if (!link)
    log.info({ port, environment: config.environment, instanceId: config.instanceId, redis: !!config.redisUrl }, "Gateway listening");

  let stopping: Promise<void> | null = null;
  async function stop(): Promise<void> {
    draining = true;
    server.draining = true;
    const closed = server.close();
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), config.drainTimeoutMs);
    await closed;
    clearTimeout(timer);
    await role.stop();
    await proxy.close();
    log.info(link ? "Gateway worker stopped" : "Gateway stopped");
  }

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    metrics,
    appliedVersion: role.appliedVersion,
    stop: () => (stopping ??= stop()),
  };
}
