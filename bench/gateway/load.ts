import { execFile } from "node:child_process";
import path from "node:path";

/** One autocannon run in its own process, so the load generator never shares a core's event loop with what it measures. */

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

export async function load(url: string, options: LoadOptions): Promise<LoadResult> {
  const args = ["-j", "-c", String(options.connections), "-d", String(options.seconds)];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push("-H", `${k}=${v}`);
  if (options.rate) args.push("-R", String(options.rate));
  args.push(url);
  const bin = path.join("node_modules", ".bin", "autocannon");
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(bin, args, { maxBuffer: 16 << 20 }, (error, out) => (error ? reject(error) : resolve(out))),
  );
  const r = JSON.parse(stdout);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}
