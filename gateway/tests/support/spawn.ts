import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** A gateway started as `npm run gateway` starts it, in its own process; resolves once it listens. */
export async function spawnGateway(env: Record<string, string>, args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(path.join("node_modules", ".bin", "tsx"), ["gateway/main.ts", "--port", "0", "--host", "127.0.0.1", ...args], {
    env: { ...process.env, ...env, NODE_ENV: "production", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error("The gateway did not start")), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /"port":(\d+)[^\n]*Gateway listening/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    });
    child.once("exit", (code) => reject(new Error(`The gateway exited with ${code}`)));
  });
  // Keep reading, so a full pipe never blocks the gateway's log.
  child.stdout!.resume();
  return { child, url };
}

/** SIGTERM, then the exit code. */
export function stopGateway(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)).kill("SIGTERM"));
}
