/**
 * `npx tsx bench/gateway/run.ts`: on loopback, with the same connections and duration for all,
 * the backend direct, nginx as a plain reverse proxy with 1 worker and with `auto` workers (one
 * per CPU), and Meridian's gateway (JWT check + a rate limit that never triggers) with 1 worker
 * and with `--workers 2`. Two plain Node.js proxies are measured beside them: the gateway's own
 * HTTP/1.1 layer with no gateway work (the gateway's floor), and node:http + undici (Node's stock
 * HTTP stack, which the gateway used before). Each gateway ÷ nginx ratio is measured again in
 * alternating slices (BENCH_SLICES of BENCH_SLICE_SECONDS on each side), which a machine whose
 * speed drifts between measurements skews far less; the p99 each gateway adds over the backend at
 * half its maximum rate is measured in such slices only. Then a CPU profile of the 1-worker
 * gateway under load (BENCH_PROFILE=0 skips it), and the event-loop turns over 2 ms at half rate
 * in probed processes (BENCH_STALLS=0 skips them; see loop-stalls.ts). When HAProxy is installed,
 * the HAProxy agent (`npm run agent:haproxy`) is measured too, with the same JWT check and
 * non-triggering tier, against nginx in the same run (target ≥ 0.9 of nginx). BENCH_CONNECTIONS and
 * BENCH_SECONDS change the load; BENCH_RUNS repeats the measurements (best and median are then
 * printed, each run with its load average).
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FakeControlPlane } from "@/gateway/tests/support/fake-control-plane";
import { TestKeys } from "@/gateway/tests/support/keys";
import { benchSnapshot } from "./bench-snapshot";
import { fullSpeedGenerator, load, type LoadResult } from "./load";
import { freePort, nginxConfig, start, startHaproxyAgentProcess, stop, treeCpuSeconds, waitForPort } from "./processes";
import { summarizeProfile } from "./profile";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const PROFILE = process.env.BENCH_PROFILE !== "0";
const STALLS = process.env.BENCH_STALLS !== "0";
const STALL_PROBE = ["--import", "./bench/gateway/loop-stalls.ts"];
/** Slices of the alternating gateway ÷ nginx measurement (BENCH_SLICES × BENCH_SLICE_SECONDS on each side). */
const SLICES = Number(process.env.BENCH_SLICES ?? 5);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 4);
const GATEWAY_WORKERS = [1, 2];
const NGINX_WORKERS: (number | "auto")[] = [1, "auto"];
const children: ChildProcess[] = [];

/** `nodeFlags` go after tsx's loader, so that they may preload TypeScript. */
async function startGateway(
  cp: FakeControlPlane,
  cacheDir: string,
  workers: number,
  nodeFlags: string[] = [],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = start(process.execPath, ["--import", "tsx", ...nodeFlags, "gateway/main.ts", "--workers", String(workers)], {
    NODE_ENV: "production",
    LOG_LEVEL: "error",
    MERIDIAN_GATEWAY_ENVIRONMENT: "bench",
    MERIDIAN_GATEWAY_PORT: String(port),
    MERIDIAN_GATEWAY_HOST: "127.0.0.1",
    MERIDIAN_CONTROL_PLANE_URL: cp.url,
    MERIDIAN_GATEWAY_TOKEN: cp.token,
    MERIDIAN_GATEWAY_CACHE_DIR: cacheDir,
    MERIDIAN_GATEWAY_INSTANCE_ID: `bench-${workers}`,
    REDIS_URL: "",
    ...env,
  });
  children.push(child);
  if (child.pid) servedBy.set(`http://127.0.0.1:${port}`, child.pid);
  await waitForPort(port);
  for (let i = 0; i < 400 && (await fetch(`http://127.0.0.1:${port}/__meridian/readyz`).catch(() => null))?.status !== 200; i++)
    await new Promise((r) => setTimeout(r, 50));
  return { child, port };
}

function hasHaproxy(): boolean {
  try {
    execFileSync(fs.existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The HAProxy agent on the benchmark's snapshot; the URL once HAProxy serves it. */
async function startHaproxyAgent(cp: FakeControlPlane, work: string, auth: Record<string, string>): Promise<string> {
  const { child, url } = await startHaproxyAgentProcess(cp, path.join(work, "haproxy"), auth);
  children.push(child);
  // The agent, HAProxy's master and its worker: all their CPU time counts.
  if (child.pid) servedBy.set(new URL(url).origin, child.pid);
  return url;
}

/** One of the plain Node.js proxies in front of the backend; its URL for the benchmark's path. */
async function startProxy(
  script: string,
  backendPort: number,
  nodeFlags: string[] = [],
  env: Record<string, string> = {},
): Promise<string> {
  const port = await freePort();
  const child = start(process.execPath, ["--import", "tsx", ...nodeFlags, script], {
    PORT: String(port),
    UPSTREAM: `http://127.0.0.1:${backendPort}`,
    NODE_ENV: "production",
    ...env,
  });
  children.push(child);
  if (child.pid) servedBy.set(`http://127.0.0.1:${port}`, child.pid);
  await waitForPort(port);
  return `http://127.0.0.1:${port}/pets/7`;
}

const loadavg = () => os.loadavg()[0];

/** The process serving each measured origin (nginx's master, the gateway's primary), for its CPU time. */
const servedBy = new Map<string, number>();

interface Row {
  name: string;
  result: LoadResult;
  /** CPU time the serving process (with its workers) spent per request, in µs; null when unknown. */
  cpuUs: number | null;
  /** The part of it spent in the kernel (system calls: mostly loopback TCP sends and receives). */
  sysUs: number | null;
  /** 1-minute load average when the measurement started. */
  load: number;
}

function format(r: Row): string {
  const errors = r.result.errors + r.result.non2xx ? `  (errors ${r.result.errors}, non-2xx ${r.result.non2xx})` : "";
  const cpu = r.cpuUs === null ? "-" : r.cpuUs.toFixed(0);
  const sys = r.sysUs === null ? "-" : r.sysUs.toFixed(0);
  return `${r.name.padEnd(28)} ${r.result.rps.toFixed(0).padStart(8)}   ${r.result.p50.toFixed(2).padStart(6)}   ${r.result.p99.toFixed(2).padStart(6)}   ${cpu.padStart(7)}   ${sys.padStart(6)}   ${r.load.toFixed(2).padStart(5)}${errors}`;
}

const HEADER = `${"".padEnd(28)} ${"req/s".padStart(8)}   ${"p50".padStart(6)}   ${"p99".padStart(6)}   ${"cpu/req".padStart(7)}   ${"kernel".padStart(6)}   ${"load".padStart(5)}   (ms; cpu/req: µs of CPU the server spent per request, steadier than req/s on a shared machine; kernel: the part of it in system calls; load: 1-min load average at start)`;

interface Sample {
  result: LoadResult;
  requests: number;
  cpu: { user: number; sys: number } | null;
}

async function sample(url: string, seconds: number, headers?: Record<string, string>, rate?: number): Promise<Sample> {
  const pid = servedBy.get(new URL(url).origin);
  const before = pid ? treeCpuSeconds(pid) : null;
  const result = await load(url, { connections: CONNECTIONS, seconds, headers, rate });
  const after = pid ? treeCpuSeconds(pid) : null;
  const cpu = before && after ? { user: after.user - before.user, sys: after.sys - before.sys } : null;
  return { result, requests: result.rps * seconds, cpu };
}

/** One row from several samples of the same server: mean req/s, median p50 and p99, CPU per request over all. */
function rowOf(name: string, samples: Sample[], load: number): Row {
  const requests = samples.reduce((sum, s) => sum + s.requests, 0);
  const known = requests > 0 && samples.every((s) => s.cpu);
  const cpu = (pick: (c: { user: number; sys: number }) => number) =>
    known ? (samples.reduce((sum, s) => sum + pick(s.cpu!), 0) * 1e6) / requests : null;
  const result: LoadResult = {
    rps: samples.reduce((sum, s) => sum + s.result.rps, 0) / samples.length,
    p50: median(samples.map((s) => s.result.p50)),
    p99: median(samples.map((s) => s.result.p99)),
    errors: samples.reduce((sum, s) => sum + s.result.errors, 0),
    non2xx: samples.reduce((sum, s) => sum + s.result.non2xx, 0),
  };
  return { name, result, load, cpuUs: cpu((c) => c.user + c.sys), sysUs: cpu((c) => c.sys) };
}

async function measure(name: string, url: string, headers?: Record<string, string>, rate?: number): Promise<Row> {
  await load(url, { connections: CONNECTIONS, seconds: 2, headers, rate });
  const row = rowOf(name, [await sample(url, SECONDS, headers, rate)], loadavg());
  console.log(format(row));
  return row;
}

interface Target {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

/**
 * Each target in turn for BENCH_SLICE_SECONDS, BENCH_SLICES times over, at `rate`: a burst of
 * load from elsewhere on the machine then spoils one slice of each, which the medians drop.
 */
async function measureAlternating(targets: Target[], rate: number): Promise<Row[]> {
  for (const t of targets) await load(t.url, { connections: CONNECTIONS, seconds: 2, headers: t.headers, rate });
  const at = loadavg();
  const samples = targets.map((): Sample[] => []);
  for (let i = 0; i < SLICES; i++)
    for (const [k, t] of targets.entries()) samples[k].push(await sample(t.url, SLICE_SECONDS, t.headers, rate));
  const rows = targets.map((t, k) => rowOf(t.name, samples[k], at));
  for (const row of rows) console.log(format(row));
  return rows;
}

function hasNginx(): boolean {
  try {
    execFileSync("nginx", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

interface RunFigures {
  load: number;
  rps: Record<string, number>;
  /** µs of server CPU per request at full speed. */
  cpu: Record<string, number>;
  ratios: Record<string, number>;
  addedP99: Record<string, number>;
}

interface Urls {
  direct: string;
  nginx: Map<string, string>;
  bare: string;
  stock: string;
  gateway: Map<number, string>;
  haproxy: string | null;
}

const BARE = "gateway HTTP layer (floor)";
const STOCK = "node:http + undici proxy";
const HAPROXY = "haproxy agent (JWT + tier)";

async function run(urls: Urls, auth: Record<string, string>): Promise<RunFigures> {
  const startLoad = loadavg();
  console.log(HEADER);
  const direct = await measure("backend direct", urls.direct);
  const nginx = new Map<string, Row>();
  for (const [workers, url] of urls.nginx) nginx.set(workers, await measure(`nginx (${workers} worker${workers === "1" ? "" : "s"})`, url));
  const stock = await measure(STOCK, urls.stock);
  const bare = await measure(BARE, urls.bare);
  const gateway = new Map<number, Row>();
  for (const [workers, url] of urls.gateway)
    gateway.set(workers, await measure(`meridian gateway (${workers} worker${workers === 1 ? "" : "s"})`, url, auth));
  const haproxy = urls.haproxy ? await measure(HAPROXY, urls.haproxy, auth) : null;

  const ratios: Record<string, number> = {};
  const nginx1 = nginx.get("1");
  console.log("");
  if (nginx1) {
    for (const [label, row] of [
      ["node:http + undici ÷ nginx 1", stock],
      ["gateway HTTP layer ÷ nginx 1", bare],
    ] as const) {
      ratios[label] = row.result.rps / nginx1.result.rps;
      console.log(`${label}: ${ratios[label].toFixed(2)}`);
    }
  }
  const pairs: [number, string][] = [
    [1, "1"],
    [2, "auto"],
  ];
  for (const [g, n] of pairs) {
    const gw = gateway.get(g);
    const ng = nginx.get(n);
    if (!gw || !ng) continue;
    const label = `gateway ${g}w ÷ nginx ${n}`;
    ratios[label] = gw.result.rps / ng.result.rps;
    console.log(`${label}: ${ratios[label].toFixed(2)} (target ≥ 0.6)`);
  }

  for (const [n, ng] of nginx) {
    if (!haproxy) break;
    const label = `haproxy agent ÷ nginx ${n}`;
    ratios[label] = haproxy.result.rps / ng.result.rps;
    console.log(`${label}: ${ratios[label].toFixed(2)} (target ≥ 0.9)`);
  }
  for (const [n, ngUrl] of urls.nginx) {
    if (!urls.haproxy) break;
    const sums = { haproxy: 0, nginx: 0 };
    for (let i = 0; i < SLICES; i++) {
      sums.nginx += (await load(ngUrl, { connections: CONNECTIONS, seconds: SLICE_SECONDS })).rps;
      sums.haproxy += (await load(urls.haproxy, { connections: CONNECTIONS, seconds: SLICE_SECONDS, headers: auth })).rps;
    }
    const label = `haproxy agent ÷ nginx ${n}, alternating`;
    ratios[label] = sums.haproxy / sums.nginx;
    console.log(
      `${label} ${SLICES} × ${SLICE_SECONDS} s: ${ratios[label].toFixed(2)} (${(sums.haproxy / SLICES).toFixed(0)} against ${(sums.nginx / SLICES).toFixed(0)} req/s)`,
    );
  }

  // The same pairs again, measured in alternating slices: on a shared machine whose speed drifts
  // from one 10 s measurement to the next, the drift then falls on both sides alike.
  for (const [g, n] of pairs) {
    const gwUrl = urls.gateway.get(g);
    const ngUrl = urls.nginx.get(n);
    if (!gwUrl || !ngUrl) continue;
    const sums = { gateway: 0, nginx: 0 };
    for (let i = 0; i < SLICES; i++) {
      sums.nginx += (await load(ngUrl, { connections: CONNECTIONS, seconds: SLICE_SECONDS })).rps;
      sums.gateway += (await load(gwUrl, { connections: CONNECTIONS, seconds: SLICE_SECONDS, headers: auth })).rps;
    }
    const label = `gateway ${g}w ÷ nginx ${n}, alternating`;
    ratios[label] = sums.gateway / sums.nginx;
    console.log(
      `${label} ${SLICES} × ${SLICE_SECONDS} s: ${ratios[label].toFixed(2)} (${(sums.gateway / SLICES).toFixed(0)} against ${(sums.nginx / SLICES).toFixed(0)} req/s)`,
    );
  }

  const addedP99: Record<string, number> = {};
  for (const [workers, url] of urls.gateway) {
    const half = Math.round(gateway.get(workers)!.result.rps / 2);
    const n = workers === 1 ? "1" : "auto";
    const nurl = urls.nginx.get(n);
    const targets: Target[] = [{ name: "backend direct", url: urls.direct }];
    if (nurl) targets.push({ name: `nginx (${n} worker${n === "1" ? "" : "s"})`, url: nurl });
    targets.push(
      { name: BARE, url: urls.bare },
      { name: `meridian gateway (${workers} worker${workers === 1 ? "" : "s"})`, url, headers: auth },
    );
    console.log(
      `\nat ${half} req/s (half the ${workers}-worker gateway's maximum), ${SLICES} alternating slices of ${SLICE_SECONDS} s each; p50 and p99 are the medians of the slices':`,
    );
    console.log(HEADER);
    const rows = await measureAlternating(targets, half);
    const p99 = (name: string) => rows.find((r) => r.name === name)?.result.p99;
    const added = (name: string) => p99(name)! - p99("backend direct")!;
    addedP99[`${workers}w`] = added(targets[targets.length - 1].name);
    addedP99[`floor at ${workers}w half rate`] = added(BARE);
    if (nurl) addedP99[`nginx ${n} at ${workers}w half rate`] = added(targets[1].name);
    console.log(
      `p99 added by the ${workers}-worker gateway: ${addedP99[`${workers}w`].toFixed(2)} ms (target ≤ 2 ms); by its HTTP layer alone: ${addedP99[`floor at ${workers}w half rate`].toFixed(2)} ms${nurl ? `; by nginx: ${addedP99[`nginx ${n} at ${workers}w half rate`].toFixed(2)} ms` : ""}`,
    );
  }
  const rows: [string, Row][] = [
    ["direct", direct],
    ...[...nginx].map(([w, r]): [string, Row] => [`nginx ${w}`, r]),
    ["node:http + undici", stock],
    ["gateway HTTP layer", bare],
    ...[...gateway].map(([w, r]): [string, Row] => [`gateway ${w}w`, r]),
    ...(haproxy ? [["haproxy agent", haproxy] as [string, Row]] : []),
  ];
  const cpu = Object.fromEntries(rows.filter(([, r]) => r.cpuUs !== null).map(([k, r]) => [k, r.cpuUs!]));
  return { load: startLoad, rps: Object.fromEntries(rows.map(([k, r]) => [k, r.result.rps])), cpu, ratios, addedP99 };
}

/**
 * The event-loop turns over BENCH_STALL_MS that a probed process noted between `from` and `to`
 * (epoch ms): how often, how long, and the share of their time the process was on a CPU.
 */
function stallSummary(file: string, from: number, to: number): string {
  const stalls = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(" ").map(Number))
    .filter(([at]) => at >= from && at <= to);
  const seconds = (to - from) / 1000;
  const time = stalls.reduce((sum, [, gap]) => sum + gap, 0);
  const cpu = stalls.reduce((sum, [, gap, used]) => sum + Math.min(used, gap), 0);
  const longest = stalls.reduce((max, [, gap]) => Math.max(max, gap), 0);
  if (!stalls.length) return "none";
  return `${(stalls.length / seconds).toFixed(1)}/s (longest ${longest.toFixed(1)} ms), ${(time / 10 / seconds).toFixed(2)}% of the time; on a CPU for ${((100 * cpu) / time).toFixed(0)}% of it`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function summarize(runs: RunFigures[]): void {
  console.log(`\n=== ${runs.length} runs: best and median ===`);
  console.log(`load average at the start of each run: ${runs.map((r) => r.load.toFixed(2)).join(", ")}`);
  const show = (title: string, pick: (r: RunFigures) => Record<string, number>, best: (v: number[]) => number, digits: number) => {
    for (const key of Object.keys(pick(runs[0]))) {
      const values = runs.map((r) => pick(r)[key]);
      console.log(
        `${`${title} ${key}`.padEnd(36)} best ${best(values).toFixed(digits).padStart(8)}   median ${median(values).toFixed(digits).padStart(8)}   runs ${values.map((v) => v.toFixed(digits)).join(", ")}`,
      );
    }
  };
  show(
    "req/s",
    (r) => r.rps,
    (v) => Math.max(...v),
    0,
  );
  show(
    "cpu µs/req",
    (r) => r.cpu,
    (v) => Math.min(...v),
    0,
  );
  show(
    "ratio",
    (r) => r.ratios,
    (v) => Math.max(...v),
    2,
  );
  show(
    "added p99 (ms)",
    (r) => r.addedP99,
    (v) => Math.min(...v),
    2,
  );
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-bench-"));
  const backendPort = await freePort();
  const backend = start(process.execPath, ["--import", "tsx", "bench/gateway/backend.ts"], { PORT: String(backendPort) });
  children.push(backend);
  if (backend.pid) servedBy.set(`http://127.0.0.1:${backendPort}`, backend.pid);
  await waitForPort(backendPort);

  const keys = await TestKeys.create();
  const cp = new FakeControlPlane();
  cp.discardEvents = true;
  await cp.start();
  cp.publish(benchSnapshot(backendPort, keys));
  const token = await keys.token({ expiresIn: "2h" });
  const auth = { authorization: `Bearer ${token}` };

  const nginx = new Map<string, string>();
  if (hasNginx()) {
    for (const workers of NGINX_WORKERS) {
      const port = await freePort();
      const master = start("nginx", ["-p", work, "-c", nginxConfig(work, port, backendPort, workers)]);
      children.push(master);
      if (master.pid) servedBy.set(`http://127.0.0.1:${port}`, master.pid);
      await waitForPort(port);
      nginx.set(String(workers), `http://127.0.0.1:${port}/pets/7`);
    }
  } else {
    console.log("nginx is not installed (apt-get install -y nginx): its rows are skipped.");
  }
  const proxies: Record<"bare" | "stock", string> = { bare: "", stock: "" };
  for (const [kind, script] of [
    ["bare", "bench/gateway/bare-proxy.ts"],
    ["stock", "bench/gateway/node-http-proxy.ts"],
  ] as const)
    proxies[kind] = await startProxy(script, backendPort);
  const gateway = new Map<number, string>();
  for (const workers of GATEWAY_WORKERS) {
    const g = await startGateway(cp, path.join(work, `cache-${workers}`), workers);
    gateway.set(workers, `http://127.0.0.1:${g.port}/bench/v1/pets/7`);
  }

  let haproxy: string | null = null;
  if (hasHaproxy()) haproxy = await startHaproxyAgent(cp, work, auth);
  else console.log("HAProxy is not installed (apt-get install -y haproxy): its row is skipped.");

  console.log(
    `loopback, ${os.cpus().length} CPUs, ${CONNECTIONS} connections, ${SECONDS} s per measurement (after a 2 s warm-up), ${RUNS} run(s)`,
  );
  console.log(
    `load generator: ${fullSpeedGenerator}${fullSpeedGenerator === "wrk" ? " (at half rate: a paced wait between a response and the next request on each connection)" : " (install wrk for figures that the generator's own CPU use does not skew)"}`,
  );
  const runs: RunFigures[] = [];
  for (let i = 0; i < RUNS; i++) {
    console.log(
      `\n--- run ${i + 1} of ${RUNS} (load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}) ---`,
    );
    runs.push(await run({ direct: `http://127.0.0.1:${backendPort}/pets/7`, nginx, ...proxies, gateway, haproxy }, auth));
  }
  if (RUNS > 1) summarize(runs);

  if (PROFILE) {
    const profileDir = path.join(work, "profile");
    const profiledAt = Date.now();
    const profiled = await startGateway(cp, path.join(work, "cache-profile"), 1, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`]);
    const loadFrom = Date.now() - profiledAt;
    await load(`http://127.0.0.1:${profiled.port}/bench/v1/pets/7`, { connections: CONNECTIONS, seconds: SECONDS, headers: auth });
    await stop(profiled.child);
    // The main thread's profile (a loader thread writes its own); start-up is left out.
    const profile = fs
      .readdirSync(profileDir)
      .filter((f) => f.endsWith(".cpuprofile"))
      .sort()[0];
    if (profile)
      console.log(
        `\nGateway (1 worker) CPU profile under full load:\n${summarizeProfile(path.join(profileDir, profile), loadFrom, Number(process.env.BENCH_PROFILE_TOP ?? 15))}`,
      );
  }

  if (STALLS && runs.length) {
    // Why the p99 grows: whether the slow turns were the process's own work or waits for a CPU.
    const half = Math.round(runs[runs.length - 1].rps["gateway 1w"] / 2);
    const threshold = process.env.BENCH_STALL_MS ?? "2";
    console.log(
      `\nEvent-loop turns over ${threshold} ms at ${half} req/s, in processes started with a probe (its 1 ms timer costs CPU, so these rows are not comparable with the ones above):`,
    );
    const probed: [string, string, Record<string, string>, () => Promise<string>][] = [
      [
        BARE,
        "bare",
        {},
        () => startProxy("bench/gateway/bare-proxy.ts", backendPort, STALL_PROBE, { BENCH_STALL_FILE: path.join(work, "stalls-bare.txt") }),
      ],
      [
        "meridian gateway (1 worker)",
        "gateway",
        auth,
        async () => {
          const g = await startGateway(cp, path.join(work, "cache-stalls"), 1, STALL_PROBE, {
            BENCH_STALL_FILE: path.join(work, "stalls-gateway.txt"),
          });
          return `http://127.0.0.1:${g.port}/bench/v1/pets/7`;
        },
      ],
    ];
    for (const [name, kind, headers, launch] of probed) {
      const url = await launch();
      await load(url, { connections: CONNECTIONS, seconds: 2, headers, rate: half });
      const from = Date.now();
      const result = await load(url, { connections: CONNECTIONS, seconds: SECONDS, headers, rate: half });
      console.log(
        `${name.padEnd(28)} p99 ${result.p99.toFixed(2)} ms; stalls ${stallSummary(path.join(work, `stalls-${kind}.txt`), from, Date.now())}`,
      );
    }
  }

  await cp.stop();
  await Promise.all(children.map(stop));
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch(async (error) => {
  console.error(error);
  await Promise.all(children.map(stop));
  process.exit(1);
});
