import { randomUUID } from "node:crypto";
import path from "node:path";
import type { AnalyticsEvent, Heartbeat, Snapshot } from "@/lib/domain/gateway/snapshot";
import { ControlPlaneClient } from "@/lib/domain/gateway/sync/control-plane-client";
import { eventGroupJson } from "@/lib/domain/gateway/sync/event-json";
import { EventShipper } from "@/lib/domain/gateway/sync/event-shipper";
import { startHeartbeat } from "@/lib/domain/gateway/sync/heartbeat";
import { noMetrics } from "@/lib/domain/gateway/sync/ports";
import { SnapshotSync } from "@/lib/domain/gateway/sync/snapshot-sync";
import type { AgentConfig } from "./config";
import { agentLog, type AgentLog } from "./log";
import type { AgentEventGroup, AgentRequestSink, GatewayDriver } from "./types";

/** One request as a driver reports it; the kit adds the event id, environment, instance and region. */
export type AgentEventRecord = Omit<AnalyticsEvent, "id" | "environment" | "instanceId" | "region">;

export interface RunningAgent {
  /** The snapshot version the gateway serves (null before the first). */
  appliedVersion(): string | null;
  /** The last snapshot the gateway could not take, and why; null once a later one applied. */
  lastError(): Heartbeat["lastError"];
  /** Sends buffered analytics now (tests, shutdown). */
  flushEvents(): Promise<void>;
  /** Stops syncing, spools undelivered events, and stops what the driver started. */
  stop(): Promise<void>;
}

/**
 * Runs a gateway driver against Meridian's gateway sync protocol, with the built-in gateway's
 * own sync code (lib/domain/gateway/sync): the last good snapshot from the disk cache at start,
 * then long polls with ETag (deltas when the control plane offers them) and back-off; for each
 * new snapshot compile → validate → apply, where any failure keeps what serves now and is
 * reported in the heartbeat; heartbeats every 10 s with the applied version; analytics in the
 * compact batch form, spooled on disk while the control plane is away, sent once each.
 */
export async function runAgent(driver: GatewayDriver, config: AgentConfig, log: AgentLog = agentLog): Promise<RunningAgent> {
  const client = new ControlPlaneClient(config.controlPlaneUrl.replace(/\/+$/, ""), config.token);
  const startedAt = new Date().toISOString();
  let lastError: Heartbeat["lastError"] = null;

  const shipper = new EventShipper({
    dir: path.join(config.cacheDir, "events", config.instanceId),
    send: (batch) => client.postEvents(batch),
    batchSize: config.eventBatchSize,
    flushMs: config.eventFlushMs,
    events: { successSample: config.eventSample ?? 0.01 },
    maxPendingBatches: 10_000,
    log,
    metrics: noMetrics,
  });
  await shipper.start();
  if (driver.startAnalytics) {
    const requests: AgentRequestSink = {
      group: (fields) =>
        eventGroupJson({
          ...fields,
          environment: config.environment,
          instanceId: config.instanceId,
          region: config.region,
        }) as AgentEventGroup,
      request: (group, timeMs, path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode) =>
        shipper.recordRequest(group, timeMs, path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode),
    };
    await driver.startAnalytics(
      (event) =>
        shipper.record({
          ...event,
          id: randomUUID(),
          environment: config.environment,
          instanceId: config.instanceId,
          region: config.region,
        }),
      requests,
    );
  }

  /** The snapshot the gateway serves and the files it was compiled to. */
  let applied: { snapshot: Snapshot; files: string } | null = null;
  const apply = async (snapshot: Snapshot) => {
    try {
      const files = await driver.compile(snapshot);
      const serialized = JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      // The same configuration (a snapshot that changes nothing this gateway sees) is not applied again.
      if (applied?.files !== serialized) {
        await driver.validate(files);
        await driver.apply(files);
      }
      applied = { snapshot, files: serialized };
      lastError = null;
    } catch (error) {
      const message = (error as Error).message.slice(0, 2000);
      lastError = { version: snapshot.version, message, at: new Date().toISOString() };
      log.error({ version: snapshot.version, reason: message }, `${driver.name} kept its configuration: the snapshot could not be applied`);
      // The admin portal shows the error at once, not at the next regular heartbeat.
      void client.postHeartbeat(heartbeat()).catch(() => undefined);
      throw error;
    }
  };

  const heartbeat = (): Heartbeat => ({
    instanceId: config.instanceId,
    region: config.region,
    appliedVersion: sync.appliedVersion,
    appliedAt: sync.appliedAt,
    startedAt,
    lastError,
  });

  const sync = new SnapshotSync({
    client,
    environment: config.environment,
    cacheFile: path.join(config.cacheDir, `snapshot-${config.environment}.json`),
    longPollSeconds: config.longPollSeconds,
    apply,
    log,
    metrics: noMetrics,
  });
  await sync.loadCache();
  sync.start();

  const stopHeartbeat = startHeartbeat(client, config.heartbeatIntervalMs, heartbeat, log);

  // Compiled configurations depend on the clock too (API keys past their expiry are left out):
  // the applied snapshot is compiled again every `refreshIntervalMs` and applied when that changes it.
  const refresh = setInterval(() => {
    if (applied) void apply(applied.snapshot).catch(() => undefined);
  }, config.refreshIntervalMs ?? 60_000);
  refresh.unref();

  return {
    appliedVersion: () => sync.appliedVersion,
    lastError: () => lastError,
    flushEvents: () => shipper.flush(),
    async stop() {
      clearInterval(refresh);
      stopHeartbeat();
      await sync.stop();
      await shipper.stop();
      await driver.stop?.();
      await client.close();
    },
  };
}
