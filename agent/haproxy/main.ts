/**
 * `npm run agent:haproxy -- --environment <name> --control-plane <url> --haproxy-config-dir <dir>
 * [--port 8380] [--host 0.0.0.0] [--master-socket <path>] [--haproxy-bin <path>] [--threads N] [--cache-dir <dir>]
 * [--region R] [--instance-id ID]`, the gateway token from MERIDIAN_GATEWAY_TOKEN.
 *
 * Without --master-socket the agent runs HAProxy itself (master-worker mode, master socket in
 * the configuration directory); with it, it drives an HAProxy already running in master-worker
 * mode whose configuration file is `<dir>/haproxy.cfg`.
 */
import path from "node:path";
import { loadAgentConfig } from "../kit/config";
import { agentLog } from "../kit/log";
import { runAgent } from "../kit/run-agent";
import { HaproxyDriver } from "./driver";

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadAgentConfig(
      process.argv.slice(2),
      process.env,
      {
        "haproxy-config-dir": { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        "master-socket": { type: "string" },
        "haproxy-bin": { type: "string" },
        threads: { type: "string" },
      },
      { cacheDir: path.join(String(argValue("--haproxy-config-dir") ?? "."), ".meridian"), instanceSuffix: "haproxy" },
    );
  } catch (error) {
    console.error(`meridian agent (HAProxy): ${(error as Error).message}`);
    process.exit(2);
  }
  const { config, values } = loaded;
  const configDir = values["haproxy-config-dir"];
  const port = Number(values.port ?? 8380);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (
    typeof configDir !== "string" ||
    !configDir ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535 ||
    (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64))
  ) {
    console.error("meridian agent (HAProxy): give --haproxy-config-dir <dir>, --port a port number and --threads 1 to 64.");
    process.exit(2);
  }
  const driver = new HaproxyDriver({
    configDir,
    bind: { host: typeof values.host === "string" ? values.host : "0.0.0.0", port },
    binary: typeof values["haproxy-bin"] === "string" ? values["haproxy-bin"] : undefined,
    externalMasterSocket: typeof values["master-socket"] === "string" ? values["master-socket"] : undefined,
    threads,
    onNote: (note) => agentLog.warn({ note }, "Served differently from the built-in gateway"),
  });
  const agent = await runAgent(driver, config);
  agentLog.info({ environment: config.environment, port, configDir }, "HAProxy agent running");
  const shutdown = () =>
    agent.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

main().catch((error) => {
  agentLog.fatal({ err: error }, "The HAProxy agent could not start");
  process.exit(1);
});
