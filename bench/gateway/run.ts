/**
 * `npx tsx bench/gateway/run.ts`: the backend direct, nginx as a plain reverse proxy (1 worker)
 * and Meridian's gateway (JWT check + a rate limit that never triggers), same connections and
 * duration, on loopback; then the p99 each proxy adds at half the gateway's maximum rate, and a
 * CPU profile of the gateway under load. BENCH_CONNECTIONS and BENCH_SECONDS change the load.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { FakeControlPlane } from "@/gateway/tests/support/fake-control-plane";
import { AUDIENCE, ISSUER, TestKeys } from "@/gateway/tests/support/keys";
import { load, type LoadResult } from "./load";
import { freePort, nginxConfig, start, stop, waitForPort } from "./processes";
import { summarizeProfile } from "./profile";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const children: ChildProcess[] = [];

function snapshot(backendPort: number, keys: TestKeys): Snapshot {
  return {
    format: 1,
    version: "bench",
    generatedAt: new Date().toISOString(),
    environment: { name: "bench", region: null },
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks: { keys: [keys.jwk] },
    apis: [
      {
        id: "api_bench",
        name: "Bench",
        context: "/bench",
        version: "v1",
        isDefaultVersion: true,
        lifecycleState: "PUBLISHED",
        revisionId: "rev_1",
        upstream: { production: `http://127.0.0.1:${backendPort}`, sandbox: null },
        security: ["oauth2"],
        operations: [{ method: "GET", path: "/pets/{id}" }],
      },
    ],
    subscriptions: [{ id: "sub_1", applicationId: "app_1", apiId: "api_bench", tier: "Huge", status: "active" }],
    apiKeys: [],
    revokedTokenIds: [],
    tiers: [{ name: "Huge", requests: 1_000_000_000, unit: "minute", burst: 1_000_000, unlimited: false }],
    applicationPolicies: {},
  };
}

async function startGateway(cp: FakeControlPlane, cacheDir: string, profileDir?: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const flags = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = start(process.execPath, [...flags, "--import", "tsx", "gateway/main.ts"], {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    MERIDIAN_GATEWAY_ENVIRONMENT: "bench",
    MERIDIAN_GATEWAY_PORT: String(port),
    MERIDIAN_GATEWAY_HOST: "127.0.0.1",
    MERIDIAN_CONTROL_PLANE_URL: cp.url,
    MERIDIAN_GATEWAY_TOKEN: cp.token,
    MERIDIAN_GATEWAY_CACHE_DIR: cacheDir,
    REDIS_URL: "",
  });
  children.push(child);
  await waitForPort(port);
  for (let i = 0; i < 200 && (await fetch(`http://127.0.0.1:${port}/readyz`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
  return { child, port };
}

function row(name: string, r: LoadResult): string {
  const errors = r.errors + r.non2xx ? `  (errors ${r.errors}, non-2xx ${r.non2xx})` : "";
  return `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(5)} ms   p99 ${String(r.p99).padStart(5)} ms${errors}`;
}

async function measure(url: string, headers?: Record<string, string>, rate?: number): Promise<LoadResult> {
  await load(url, { connections: CONNECTIONS, seconds: 2, headers, rate });
  return load(url, { connections: CONNECTIONS, seconds: SECONDS, headers, rate });
}

function hasNginx(): boolean {
  try {
    execFileSync("nginx", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-bench-"));
  const backendPort = await freePort();
  children.push(start(process.execPath, ["--import", "tsx", "bench/gateway/backend.ts"], { PORT: String(backendPort) }));
  await waitForPort(backendPort);

  const keys = await TestKeys.create();
  const cp = new FakeControlPlane();
  await cp.start();
  cp.publish(snapshot(backendPort, keys));
  const token = await keys.token({ expiresIn: "2h" });
  const auth = { authorization: `Bearer ${token}` };

  let nginxPort = 0;
  if (hasNginx()) {
    nginxPort = await freePort();
    children.push(start("nginx", ["-p", work, "-c", nginxConfig(work, nginxPort, backendPort)]));
    await waitForPort(nginxPort);
  } else {
    console.log("nginx is not installed (apt-get install -y nginx): its row is skipped.");
  }
  const gateway = await startGateway(cp, path.join(work, "cache"));

  // Other work on the machine skews every figure: the load average is printed with them.
  const loadavg = () => os.loadavg().map((l) => l.toFixed(1)).join(" ");
  console.log(`loopback, ${os.cpus().length} CPUs (load average ${loadavg()}), ${CONNECTIONS} connections, ${SECONDS} s per run (after a 2 s warm-up)\n`);
  const direct = await measure(`http://127.0.0.1:${backendPort}/pets/7`);
  console.log(row("backend direct", direct));
  const nginx = nginxPort ? await measure(`http://127.0.0.1:${nginxPort}/pets/7`) : null;
  if (nginx) console.log(row("nginx (1 worker)", nginx));
  const meridian = await measure(`http://127.0.0.1:${gateway.port}/bench/v1/pets/7`, auth);
  console.log(row("meridian gateway", meridian));
  if (nginx) console.log(`\ngateway ÷ nginx: ${(meridian.rps / nginx.rps).toFixed(2)} (target ≥ 0.6)`);

  const half = Math.round(meridian.rps / 2);
  const directHalf = await measure(`http://127.0.0.1:${backendPort}/pets/7`, undefined, half);
  const gatewayHalf = await measure(`http://127.0.0.1:${gateway.port}/bench/v1/pets/7`, auth, half);
  console.log(`\nat ${half} req/s (half the gateway's maximum):`);
  console.log(row("backend direct", directHalf));
  if (nginxPort) console.log(row("nginx (1 worker)", await measure(`http://127.0.0.1:${nginxPort}/pets/7`, undefined, half)));
  console.log(row("meridian gateway", gatewayHalf));
  console.log(`p99 added by the gateway: ${(gatewayHalf.p99 - directHalf.p99).toFixed(2)} ms (target ≤ 2 ms); load average now ${loadavg()}`);

  await stop(gateway.child);
  const profileDir = path.join(work, "profile");
  const profiledAt = Date.now();
  const profiled = await startGateway(cp, path.join(work, "cache"), profileDir);
  const loadFrom = Date.now() - profiledAt;
  await load(`http://127.0.0.1:${profiled.port}/bench/v1/pets/7`, { connections: CONNECTIONS, seconds: SECONDS, headers: auth });
  await stop(profiled.child);
  // The main thread's profile (a loader thread writes its own); start-up is left out.
  const profile = fs.readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile")).sort()[0];
  if (profile) console.log(`\nGateway CPU profile under full load:\n${summarizeProfile(path.join(profileDir, profile), loadFrom)}`);

  await cp.stop();
  await Promise.all(children.map(stop));
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch(async (error) => {
  console.error(error);
  await Promise.all(children.map(stop));
  process.exit(1);
});
