/**
 * `npm start`: everything Meridian runs, with embedded defaults.
 * - serves the embedded database (unless DATABASE_URL is set) and applies migrations;
 * - creates the first admin on the very first start;
 * - builds the web app when the build is missing or older than the sources;
 * - starts the web app (next start), runs the worker in this process, and starts the built-in
 *   gateway for the default environment (MERIDIAN_GATEWAY=off to skip it, =detached to let it
 *   outlive this process and be adopted by the next start);
 * - on SIGTERM/SIGINT drains the web app, stops the worker, then closes the database, within
 *   MERIDIAN_SHUTDOWN_TIMEOUT_MS.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config, missingSharedSecrets, sharedSecretsMessage } from "@/lib/config";
import { closeDb, getDb } from "@/lib/db/client";
import { openEmbeddedServer, type EmbeddedServer } from "@/lib/db/embedded";
import { startWorker } from "@/lib/jobs/worker";
import { ensureFirstAdmin } from "@/lib/services/users/ensure-first-admin";
import { ensureLocalGatewayToken } from "@/lib/services/gateways/ensure-local-gateway-token";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { ensureSecretKey } from "@/lib/services/maintenance/ensure-secret-key";
import { ensureDetachedGateway, watchDetachedGateway } from "./detached-gateway";

const ROOT = process.cwd();
const NEXT_BIN = path.join(ROOT, "node_modules", ".bin", "next");
const SOURCE_DIRS = ["app", "components", "lib", "public"];
const SOURCE_FILES = ["next.config.ts", "package.json", "proxy.ts", "instrumentation.ts", "postcss.config.mjs"];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/**
 * Idle keep-alive connections stay open this long (Node's default is 5 s). Longer than the
 * 60 s idle timeout of common load balancers, so that the server is never the side that closes
 * a connection a client is about to reuse (the client then sees ECONNRESET).
 */
const KEEP_ALIVE_MS = Number(process.env.MERIDIAN_KEEP_ALIVE_MS ?? 65_000);

/**
 * How long a stop (SIGTERM, SIGINT) may take in all, below the 10 s that Kubernetes
 * (terminationGracePeriodSeconds: 30, but many set 10) and systemd's usual settings allow before
 * they kill. Raise it together with the process manager's own timeout.
 */
const SHUTDOWN_TIMEOUT_MS = Number(process.env.MERIDIAN_SHUTDOWN_TIMEOUT_MS || 8_000);

/** Resolves when the child has exited, or after `ms` (false) if it has not. */
function exited(child: ChildProcess | undefined, ms: number): Promise<boolean> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function buildIfNeeded(): void {
  if (process.env.MERIDIAN_SKIP_BUILD === "1") return;
  const buildId = path.join(ROOT, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  const built = fs.statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...[...SOURCE_DIRS, ...SOURCE_FILES].map((p) => newestMtime(path.join(ROOT, p))));
  if (built && built >= sources) return;
  console.log(built ? "Sources changed since the last build: building…" : "First start: building the web app (a minute or two)…");
  const result = spawnSync(NEXT_BIN, ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) {
    console.error("The build failed; see the output above.");
    process.exit(result.status ?? 1);
  }
}

/** A signing secret for sessions, generated once into the data directory when none is configured. */
function ensureAuthSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(config.dataDir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

async function main() {
  const missing = missingSharedSecrets(process.env, { session: true });
  if (missing.length) throw new Error(sharedSecretsMessage(missing));
  const port = config.port;
  const host = process.env.HOST || "0.0.0.0";
  const publicUrl = process.env.NEXTAUTH_URL || `http://localhost:${port}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NEXTAUTH_SECRET: ensureAuthSecret(),
    NEXTAUTH_URL: publicUrl,
    NEXT_TELEMETRY_DISABLED: "1",
  };

  let embedded: EmbeddedServer | undefined;
  if (!config.databaseUrl) {
    embedded = await openEmbeddedServer(path.join(config.dataDir, "db"));
    if (!embedded.stop) throw new Error(`Another Meridian already serves ${config.dataDir}. Stop it first, or set MERIDIAN_DATA_DIR.`);
    process.env.MERIDIAN_EMBEDDED_URL = embedded.url;
    childEnv.MERIDIAN_EMBEDDED_URL = embedded.url;
    console.log(`Embedded database in ${path.join(config.dataDir, "db")}`);
  }
  await getDb(); // applies migrations
  // Refuses a key that differs from the one the database's secrets are written with; rotates.
  const key = await ensureSecretKey();
  if (key.reencrypted)
    console.log(
      `Re-encrypted ${key.reencrypted} secret(s) under the new MERIDIAN_SECRET_KEY: MERIDIAN_SECRET_KEY_PREVIOUS may now be removed.`,
    );
  const admin = await ensureFirstAdmin();
  await ensureDefaults();
  buildIfNeeded();

  const web: ChildProcess = spawn(NEXT_BIN, ["start", "-p", String(port), "-H", host, "--keepAliveTimeout", String(KEEP_ALIVE_MS)], {
    stdio: "inherit",
    env: childEnv,
  });
  const worker = process.env.MERIDIAN_WORKER === "off" ? undefined : startWorker();
  const gatewayPort = Number(process.env.MERIDIAN_GATEWAY_PORT || 8280);
  const gatewayEnv = process.env.MERIDIAN_GATEWAY_ENVIRONMENT || "default";
  let gateway: ChildProcess | undefined;
  let detached: { pid: number; adopted: boolean; unwatch: () => void } | undefined;
  const gatewayMode = process.env.MERIDIAN_GATEWAY || "on";
  if (gatewayMode !== "off") {
    const tokenFile = path.join(config.dataDir, `gateway-token-${gatewayEnv}`);
    const tokenBefore = fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, "utf8").trim() : "";
    const token = await ensureLocalGatewayToken(gatewayEnv, config.dataDir);
    // The gateway never touches the database: it syncs from the web app like any remote one.
    // Node itself, not the tsx launcher: a launcher between a process manager and the gateway
    // kills the gateway outright when it does not confirm a signal within 30 ms (a busy machine).
    const gatewayArgs = ["--import", "tsx", "gateway/main.ts"];
    const gatewayProcessEnv: NodeJS.ProcessEnv = {
      ...process.env,
      MERIDIAN_GATEWAY_ENVIRONMENT: gatewayEnv,
      MERIDIAN_GATEWAY_PORT: String(gatewayPort),
      MERIDIAN_CONTROL_PLANE_URL: `http://127.0.0.1:${port}`,
      MERIDIAN_GATEWAY_TOKEN: token,
      MERIDIAN_GATEWAY_CACHE_DIR: path.join(config.dataDir, "gateway", gatewayEnv),
    };
    if (gatewayMode === "detached") {
      // Outlives this process; adopted by the next start unless its token had to be replaced.
      const options = {
        command: process.execPath,
        args: gatewayArgs,
        env: gatewayProcessEnv,
        pidFile: path.join(config.dataDir, "gateway", `${gatewayEnv}.pid`),
        port: gatewayPort,
      };
      const found = await ensureDetachedGateway(options, token !== tokenBefore);
      detached = { ...found, unwatch: watchDetachedGateway(options, found.pid) };
    } else {
      const startGateway = () => {
        gateway = spawn(process.execPath, gatewayArgs, { stdio: "inherit", env: gatewayProcessEnv });
        gateway.on("exit", (code) => {
          if (stopping) return;
          console.error(`The gateway exited (${code}); restarting it in 2 s.`);
          setTimeout(startGateway, 2000);
        });
      };
      startGateway();
    }
  }

  let stopping = false;
  /**
   * Stops in dependency order, within SHUTDOWN_TIMEOUT_MS: the web app stops accepting
   * connections and drains the requests in flight (which still need the database), the worker
   * stops claiming jobs and lets running ones finish, and only then is the database closed.
   */
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    const deadline = Date.now() + SHUTDOWN_TIMEOUT_MS;
    const left = (reserveMs = 0) => deadline - Date.now() - reserveMs;
    // Whatever happens below, never outlive the grace time by much.
    setTimeout(() => process.exit(code || 1), SHUTDOWN_TIMEOUT_MS + 1_000).unref();
    web.kill("SIGTERM");
    // A detached gateway keeps serving from its cached snapshot until the next start adopts it.
    detached?.unwatch();
    gateway?.kill("SIGTERM");
    const started = Date.now();
    const since = () => `${Date.now() - started} ms`;
    const workerStopped = worker?.stop(Math.max(0, left(2_000)));
    // Closing the database takes well under a second; the rest of the time is the drain's.
    if (!(await exited(web, left(1_000)))) {
      console.error(`The web app did not drain within ${SHUTDOWN_TIMEOUT_MS} ms (MERIDIAN_SHUTDOWN_TIMEOUT_MS): stopping it.`);
      web.kill("SIGKILL");
      await exited(web, 500);
    }
    const drained = since();
    await Promise.race([workerStopped, new Promise((r) => setTimeout(r, Math.max(0, left(700))))]);
    if (!(await exited(gateway, left(700)))) gateway?.kill("SIGKILL");
    const workerDone = since();
    await Promise.race([
      (async () => {
        await closeDb();
        await embedded?.stop?.();
      })(),
      new Promise((r) => setTimeout(r, Math.max(0, left()))),
    ]);
    console.log(
      `Stopped: web app drained after ${drained}, worker${gateway ? " and gateway" : ""} after ${workerDone}, database closed after ${since()}.`,
    );
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  web.on("exit", (code) => {
    if (!stopping) {
      console.error(`The web process exited (${code}).`);
      void stop(code ?? 1);
    }
  });

  console.log(`\nMeridian is starting at ${publicUrl}`);
  if (gateway)
    console.log(
      `Built-in gateway for "${gatewayEnv}" on http://localhost:${gatewayPort} (stops with this process; MERIDIAN_GATEWAY=detached keeps it serving across restarts)`,
    );
  if (detached)
    console.log(
      `Built-in gateway for "${gatewayEnv}" on http://localhost:${gatewayPort}: ${detached.adopted ? "adopted the one already running" : "started"} as pid ${detached.pid}; it outlives this process (kill ${detached.pid} to stop it)`,
    );
  if (admin.created) {
    console.log(`\nFirst admin: ${admin.email}`);
    if (admin.generatedPassword) console.log(`Password (shown once, change it after signing in): ${admin.generatedPassword}\n`);
  }
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDb().catch(() => {});
  process.exit(1);
});
