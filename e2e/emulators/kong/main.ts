import { parseArgs } from "node:util";
import { startKongEmulator } from "./server";

/**
 * npm run emulator:kong -- --port 8001 --proxy-port 8000 [--host 127.0.0.1] [--mode database|dbless]
 *   [--admin-token …] [--workspace …] [--control-plane <uuid>]
 * The admin token also comes from KONG_EMULATOR_ADMIN_TOKEN; without one the Admin API is open.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8001" },
    "proxy-port": { type: "string", default: "8000" },
    host: { type: "string", default: "127.0.0.1" },
    mode: { type: "string", default: "database" },
    "admin-token": { type: "string" },
    workspace: { type: "string", multiple: true },
    "control-plane": { type: "string", multiple: true },
  },
});

const port = Number(values.port);
const proxyPort = Number(values["proxy-port"]);
if (!Number.isInteger(port) || !Number.isInteger(proxyPort)) {
  console.error("--port and --proxy-port take port numbers.");
  process.exit(2);
}
if (values.mode !== "database" && values.mode !== "dbless") {
  console.error("--mode is database or dbless.");
  process.exit(2);
}
const token = values["admin-token"] ?? process.env.KONG_EMULATOR_ADMIN_TOKEN;

async function main() {
  const emulator = await startKongEmulator({
    port,
    proxyPort,
    host: values.host,
    mode: values.mode as "database" | "dbless",
    adminTokens: token ? [token] : [],
    workspaces: values.workspace ?? [],
    controlPlanes: values["control-plane"] ?? [],
  });
  console.log(`Kong emulator: Admin API ${emulator.adminUrl}, proxy ${emulator.proxyUrl}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await emulator.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(`Kong emulator could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
