import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
export const TSX_BIN = path.join(ROOT, "node_modules", ".bin", "tsx");

/** A port the operating system just gave out, free again for the process under test. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  /** Everything the process printed so far. */
  output: () => string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exit: Promise<number | string>;
}

/**
 * Runs one of the project's scripts as `npm start` / `npm run worker` do: Node with tsx's loader,
 * so that signals reach the script itself (the tsx launcher kills a child that does not confirm
 * a signal within 30 ms, which skips the ordered stop on a busy machine).
 */
export function runScript(script: string, env: Record<string, string | undefined>): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => out, exit };
}

/** Polls a URL until it answers 200, the process exits, or the time is up. */
export async function waitFor200(url: string, spawned: Spawned, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void spawned.exit.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the process exited before ${url} answered:\n${spawned.output().slice(-4000)}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${spawned.output().slice(-4000)}`);
}
