/**
 * `npm run gateway -- --environment <name> [--port 8280] [--control-plane URL] [--cache-dir DIR]
 * [--redis-url URL] [--region R] [--instance-id ID] [--workers N|auto]`, each also from its
 * environment variable (MERIDIAN_GATEWAY_*, MERIDIAN_CONTROL_PLANE_URL, REDIS_URL); the token
 * preferably from MERIDIAN_GATEWAY_TOKEN. `--workers` above 1 serves the port from that many
 * processes (see GatewayConfig.workers about rate limits without Redis).
 */
import cluster from "node:cluster";
import { startPrimary } from "./cluster/primary";
import { WorkerLink } from "./cluster/worker-link";
import { loadConfig, type GatewayConfig } from "./config";
import { startGateway } from "./gateway";
import { gatewayLog } from "./log";

function onSignals(stop: () => Promise<void>): void {
  const shutdown = (signal: string) => {
    gatewayLog.info({ signal }, "Draining requests in flight");
    stop().then(
      () => process.exit(0),
      (error) => {
        gatewayLog.error({ err: error }, "Shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

async function runWorker(config: GatewayConfig): Promise<void> {
  const link = new WorkerLink();
  const gateway = await startGateway(config, gatewayLog, link);
  let stopped: Promise<void> | null = null;
  // Asked by the primary, or by a signal sent to the whole process group (Ctrl-C): drain once.
  const stop = () =>
    (stopped ??= gateway.stop().then(() => {
      if (process.connected) process.disconnect();
    }));
  link.onDrain = () => void stop().then(() => process.exit(0));
  onSignals(stop);
  await link.send({ type: "listening", port: gateway.port });
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`meridian gateway: ${(error as Error).message}`);
    process.exit(2);
  }
  if (cluster.isWorker) return runWorker(config);
  if (config.workers > 1) {
    if (!config.redisUrl)
      gatewayLog.warn(
        { workers: config.workers },
        "Rate limits are kept per worker process without REDIS_URL: a client on several connections may get up to that many times its rate",
      );
    const primary = await startPrimary(config, gatewayLog);
    return onSignals(primary.stop);
  }
  const gateway = await startGateway(config);
  onSignals(gateway.stop);
}

main().catch((error) => {
  gatewayLog.fatal({ err: error }, "The gateway could not start");
  process.exit(1);
});
