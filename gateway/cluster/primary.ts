import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import type { GatewayConfig } from "../config";
import { quotaFile, startReplicaDuties } from "../gateway";
import { LocalQuotaStore } from "../limits/quota-counter";
import type { GatewayLog } from "../log";
import { GatewayMetrics } from "../observability/metrics";
import { compileSnapshot } from "../runtime-snapshot";
import { ControlPlaneClient } from "@/lib/domain/gateway/sync/control-plane-client";
import type { ToPrimary, ToWorker } from "./messages";

export interface RunningPrimary {
  port: () => number | null;
  /** Drains every worker (each finishes its requests in flight), then spools events and saves quota counts. */
  stop: () => Promise<void>;
}

const RESTART_DELAY_MS = 1_000;

/**
 * The primary of a multi-process gateway. It serves no request: node:cluster hands the
 * connections of the shared port to the workers in turn. It is the replica's single syncer
 * (long poll, disk cache, heartbeats), pushes each applied snapshot to every worker, writes the
 * workers' analytics batches to one spool and sends them, keeps the quota counts the workers
 * share, and aggregates their metrics for `/__meridian/metrics`. A worker that dies is
 * replaced; the others keep serving meanwhile.
 */
export async function startPrimary(config: GatewayConfig, log: GatewayLog): Promise<RunningPrimary> {
  cluster.setupPrimary({ serialization: "advanced" });
  const metrics = new GatewayMetrics();
  const client = new ControlPlaneClient(config.controlPlaneUrl, config.token);
  let snapshot: Snapshot | null = null;
  let draining = false;
  let started = false;
  let port: number | null = null;
  const listening = new Set<number>();

  const broadcast = (message: ToWorker) => {
    for (const w of Object.values(cluster.workers ?? {})) if (w?.isConnected()) w.send(message);
  };
  const clusterState = (): ToWorker => ({ type: "cluster", ready: listening.size, total: config.workers, started });

  const quotas = new LocalQuotaStore(quotaFile(config), log);
  await quotas.load();
  // Compiled here too, so that a snapshot the workers could not apply is refused as a whole.
  const duties = await startReplicaDuties(config, client, metrics, log, async (next: Snapshot) => {
    await compileSnapshot(next);
    snapshot = next;
    broadcast({ type: "snapshot", snapshot: next });
  });
  const { events } = duties;

  let collectId = 0;
  const collections = new Map<number, { pending: number; parts: object[][]; done: () => void }>();
  async function clusterMetrics(): Promise<string> {
    const id = ++collectId;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w?.isConnected());
    const parts: object[][] = [await metrics.registry.getMetricsAsJSON()];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 2_000);
      function done() {
        clearTimeout(timer);
        collections.delete(id);
        resolve();
      }
      collections.set(id, { pending: workers.length, parts, done });
      if (workers.length === 0) return done();
      for (const w of workers) w.send({ type: "metrics-collect", id } satisfies ToWorker);
    });
    return AggregatorRegistry.aggregate(parts).metrics();
  }

  function onMessage(worker: Worker, message: ToPrimary): void {
    const reply = (m: ToWorker) => worker.isConnected() && worker.send(m);
    switch (message.type) {
      case "hello":
        // Sent once the worker listens for messages (earlier ones would be lost). The current
        // snapshot first: a worker starts serving only once it has applied it.
        if (snapshot) reply({ type: "snapshot", snapshot });
        return void reply(clusterState());
      case "listening":
        port = message.port;
        listening.add(worker.id);
        if (!started && listening.size >= config.workers) {
          started = true;
          log.info(
            { port, environment: config.environment, instanceId: config.instanceId, redis: !!config.redisUrl, workers: config.workers },
            "Gateway listening",
          );
        }
        return broadcast(clusterState());
      case "events":
        void events.spool(message.batchId, message.batch).then(() => reply({ type: "events-spooled", id: message.id }));
        return;
      case "quota-sync":
        return void reply({ type: "quota-totals", id: message.id, totals: quotas.merge(message.deltas) });
      case "metrics-request":
        void clusterMetrics().then(
          (text) => reply({ type: "metrics-text", id: message.id, text, contentType: metrics.registry.contentType }),
          (error) => {
            log.error({ err: error }, "Could not aggregate the workers' metrics");
            reply({ type: "metrics-text", id: message.id, text: "", contentType: metrics.registry.contentType });
          },
        );
        return;
      case "metrics-json": {
        const c = collections.get(message.id);
        if (!c) return;
        c.parts.push(message.metrics as object[]);
        if (--c.pending === 0) c.done();
      }
    }
  }

  const exits = new Map<number, Promise<void>>();
  function fork(): void {
    const worker = cluster.fork();
    exits.set(worker.id, new Promise((resolve) => worker.once("exit", () => resolve())));
    worker.on("message", (message: ToPrimary) => onMessage(worker, message));
    worker.once("exit", (code, signal) => {
      exits.delete(worker.id);
      listening.delete(worker.id);
      if (draining) return;
      if (!started) {
        // A worker that cannot start (the port is taken, say) would fail again: give up as a
        // single-process gateway does, and let whatever supervises the gateway decide.
        log.fatal({ worker: worker.id, code, signal }, "A gateway worker failed to start");
        void stop().finally(() => process.exit(1));
        return;
      }
      log.error({ worker: worker.id, code, signal }, `A gateway worker exited; starting another in ${RESTART_DELAY_MS} ms`);
      broadcast(clusterState());
      setTimeout(() => !draining && fork(), RESTART_DELAY_MS).unref();
    });
  }
  for (let i = 0; i < config.workers; i++) fork();

  let stopping: Promise<void> | null = null;
  async function stop(): Promise<void> {
    draining = true;
    broadcast({ type: "drain" });
    const all = Promise.all(exits.values());
    // A worker stuck past its own drain timeout is killed rather than holding the shutdown.
    const killer = setTimeout(
      () => Object.values(cluster.workers ?? {}).forEach((w) => w?.process.kill("SIGKILL")),
      config.drainTimeoutMs + 5_000,
    );
    await all;
    clearTimeout(killer);
    await duties.stop();
    await quotas.close();
    await client.close();
    log.info("Gateway stopped");
  }

  return { port: () => port, stop: () => (stopping ??= stop()) };
}
