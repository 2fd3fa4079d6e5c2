/**
 * `npm run gateway -- --environment <name> [--port 8280] [--control-plane URL] [--cache-dir DIR]
 * [--redis-url URL] [--region R] [--instance-id ID]`, each also from its environment variable
 * (MERIDIAN_GATEWAY_*, MERIDIAN_CONTROL_PLANE_URL, REDIS_URL); the token preferably from
 * MERIDIAN_GATEWAY_TOKEN.
 */
import { loadConfig } from "./config";
import { startGateway } from "./gateway";
import { gatewayLog } from "./log";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`meridian gateway: ${(error as Error).message}`);
    process.exit(2);
  }
  const gateway = await startGateway(config);
  const shutdown = (signal: string) => {
    gatewayLog.info({ signal }, "Draining requests in flight");
    gateway.stop().then(
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

main().catch((error) => {
  gatewayLog.fatal({ err: error }, "The gateway could not start");
  process.exit(1);
});
