/**
 * `MERIDIAN_GATEWAY=detached`: the built-in gateway of `npm start` as a process of its own, so
 * that restarting the control plane (an upgrade) does not interrupt the data plane. The gateway
 * needs nothing from the launcher: it syncs over HTTP, serves its cached snapshot while the
 * control plane is down and spools analytics until it is back. The next start adopts it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface DetachedGatewayOptions {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Where the pid is kept; the log goes beside it. */
  pidFile: string;
  /** Port the gateway serves, to tell a live gateway from a reused pid. */
  port: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  if (!fs.existsSync(file)) return undefined;
  const pid = Number(fs.readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/__meridian/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.ok,
    () => false,
  );
}

function launch(options: DetachedGatewayOptions): number {
  const log = fs.openSync(options.pidFile.replace(/\.pid$/, ".log"), "a");
  // detached: a session of its own, so Ctrl-C in the launcher's terminal does not reach it.
  const child = spawn(options.command, options.args, { detached: true, stdio: ["ignore", log, log], env: options.env });
  fs.closeSync(log);
  child.unref();
  fs.writeFileSync(options.pidFile, String(child.pid));
  return child.pid!;
}

/**
 * Adopts the gateway a previous start left running (its pid is alive and its port answers), or
 * starts one. `replace` stops an adopted gateway first (its token changed).
 */
export async function ensureDetachedGateway(options: DetachedGatewayOptions, replace = false): Promise<{ pid: number; adopted: boolean }> {
  fs.mkdirSync(path.dirname(options.pidFile), { recursive: true });
  const pid = readPid(options.pidFile);
  if (pid && alive(pid) && (await healthy(options.port))) {
    if (!replace) return { pid, adopted: true };
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: launch(options), adopted: false };
}

/** While the launcher runs, starts the gateway again if it dies. Returns a function that stops watching. */
export function watchDetachedGateway(options: DetachedGatewayOptions, pid: number): () => void {
  let current = pid;
  const timer = setInterval(() => {
    if (alive(current)) return;
    console.error(`The detached gateway (pid ${current}) is gone; starting it again.`);
    current = launch(options);
  }, 2_000);
  timer.unref();
  return () => clearInterval(timer);
}
