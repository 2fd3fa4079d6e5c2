import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The load generator, run in its own process: wrk (C, one thread per CPU) when it is installed,
 * else autocannon. A Node.js generator spends about as much CPU as the proxy it loads, and on a
 * 2-CPU machine that CPU is taken from whatever is measured: with autocannon nginx looks slower
 * than it is. At a fixed rate, wrk's connections each wait a fixed time between a response and
 * their next request (a Lua `delay`), which spreads the requests evenly; autocannon's `-R` sends
 * each second's share in a burst at its start, which measures burst absorption, not latency.
 * `BENCH_LOADGEN=autocannon` forces autocannon.
 */

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Requests per second over all connections; unset for as many as possible. */
  rate?: number;
}

function run(bin: string, args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    execFile(bin, args, { maxBuffer: 16 << 20 }, (error, out, err) =>
      error ? reject(new Error(`${bin}: ${error.message}\n${err}`)) : resolve(out),
    ),
  );
}

function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version prints its version and exits with 1.
    return (error as { status?: number }).status === 1;
  }
}

export const fullSpeedGenerator: "wrk" | "autocannon" = process.env.BENCH_LOADGEN !== "autocannon" && hasWrk() ? "wrk" : "autocannon";

/** "1.23ms" → 1.23; "850.00us" → 0.85; "1.02s" → 1020. */
function millis(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value);
  if (!m) throw new Error(`wrk printed an unknown duration: ${value}`);
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as "us" | "ms" | "s" | "m"];
}

export function parseWrk(out: string): LoadResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p50 = /^\s+50%\s+(\S+)/m.exec(out);
  const p99 = /^\s+99%\s+(\S+)/m.exec(out);
  if (!rps || !p50 || !p99) throw new Error(`wrk printed no figures:\n${out}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { rps: Number(rps[1]), p50: millis(p50[1]), p99: millis(p99[1]), errors, non2xx };
}

/**
 * A wrk script that waits `delayMs` between a response and the connection's next request; wrk
 * takes whole milliseconds, so the wait is the floor or the ceiling at random, averaging `delayMs`.
 * The rate comes out a little under the asked one: each cycle also holds the response's latency.
 */
function pacingScript(delayMs: number): string {
  const file = path.join(os.tmpdir(), `meridian-bench-pace-${delayMs.toFixed(3)}.lua`);
  fs.writeFileSync(
    file,
    `local d = ${delayMs.toFixed(3)}
local base = math.floor(d)
delay = function()
  if math.random() < d - base then return base + 1 end
  return base
end
`,
  );
  return file;
}

export async function load(url: string, options: LoadOptions): Promise<LoadResult> {
  const headerPairs = Object.entries(options.headers ?? {});
  if (fullSpeedGenerator === "wrk") {
    const args = ["-t", "2", "-c", String(options.connections), "-d", `${options.seconds}s`, "--latency"];
    for (const [k, v] of headerPairs) args.push("-H", `${k}: ${v}`);
    if (options.rate) args.push("-s", pacingScript((options.connections * 1000) / options.rate));
    return parseWrk(await run("wrk", [...args, url]));
  }
  const args = ["-j", "-c", String(options.connections), "-d", String(options.seconds)];
  for (const [k, v] of headerPairs) args.push("-H", `${k}=${v}`);
  if (options.rate) args.push("-R", String(options.rate));
  return fromAutocannonJson(await run(path.join("node_modules", ".bin", "autocannon"), [...args, url]));
}

function fromAutocannonJson(out: string): LoadResult {
  const r = JSON.parse(out);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}
