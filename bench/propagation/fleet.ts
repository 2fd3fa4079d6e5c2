/**
 * bench/propagation fleet mode: how fast one deployment reaches a fleet of gateways, and what
 * the fleet costs the control plane while it waits and during the wave.
 *
 * Starts Meridian as users run it (`npm start`: web, worker, embedded database, or the
 * PostgreSQL of DATABASE_URL), without its own gateway; deploys `--apis` APIs to the default
 * environment; then starts `--gateways` simulated gateways that long-poll the snapshot exactly
 * as the built-in gateway does (If-None-Match, wait=30, delta=1, gzip) and apply what they get.
 * Once all hold the current version, it measures a quiet period, deploys one more API and
 * times until every gateway holds the new version.
 *
 *   npx tsx bench/propagation/fleet.ts [--gateways 1000] [--apis 1000] [--port 3392]
 *
 * Prints: propagation p50/p95/max, the control plane's CPU (all its processes) and, on
 * PostgreSQL, its transactions per second (pg_stat_database) while waiting and during the wave.
 */
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { Agent, request } from "undici";
import { applySnapshotDelta, isSnapshotDelta, type SnapshotDelta } from "@/lib/domain/gateway/snapshot-delta";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { benchPublisher, publishedApi } from "./seed";

const { values } = parseArgs({
  options: {
    gateways: { type: "string", default: "1000" },
    apis: { type: "string", default: "1000" },
    port: { type: "string", default: "3392" },
    quiet: { type: "string", default: "30" },
  },
});
const GATEWAYS = Number(values.gateways);
const APIS = Number(values.apis);
const PORT = Number(values.port);
const QUIET_SECONDS = Number(values.quiet);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-fleet-"));
process.env.MERIDIAN_DATA_DIR = dataDir;
const base = `http://127.0.0.1:${PORT}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer in time`);
}

/** CPU seconds used so far by a process and all its descendants. */
function treeCpuSeconds(pid: number): number {
  const ticks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      const children = fs.readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, "utf8").trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    } catch {
      // gone
    }
  }
  let total = 0;
  for (const p of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return total / ticks;
}

class SimulatedGateway {
  snapshot: Snapshot | null = null;
  version: string | null = null;
  /** When each version arrived. */
  readonly arrivals = new Map<string, number>();
  fulls = 0;
  deltas = 0;
  private stopped = false;

  constructor(
    private readonly agent: Agent,
    private readonly token: string,
  ) {}

  async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const headers: Record<string, string> = {
          authorization: `Bearer ${this.token}`,
          accept: "application/gzip, application/json;q=0.5",
        };
        if (this.version) headers["if-none-match"] = `"${this.version}"`;
        const res = await request(`${base}/api/gateway/v1/snapshot?wait=30${this.version ? "&delta=1" : ""}`, {
          dispatcher: this.agent,
          headers,
          headersTimeout: 60_000,
        });
        const raw = Buffer.from(await res.body.arrayBuffer());
        if (res.statusCode !== 200) continue;
        const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString("utf8");
        const value = JSON.parse(text);
        if (isSnapshotDelta(value)) {
          this.snapshot = applySnapshotDelta(this.snapshot!, value as SnapshotDelta);
          this.deltas++;
        } else {
          this.snapshot = value as Snapshot;
          this.fulls++;
        }
        this.version = this.snapshot.version;
        this.arrivals.set(this.version, performance.now());
      } catch {
        if (!this.stopped) await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  stop(): void {
    this.stopped = true;
  }
}

/** When a version's notification arrived (PostgreSQL only): the moment its transaction committed, give or take a round trip. */
async function notificationTimer(): Promise<{ at: (version: string) => Promise<number | null> }> {
  if (!process.env.DATABASE_URL) return { at: async () => null };
  const { default: postgres } = await import("postgres");
  const { NOTIFY_CHANNEL, parseNotification } = await import("@/lib/services/snapshots/snapshot-watcher");
  const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  const seen = new Map<string, number>();
  const listener = await sql.listen(NOTIFY_CHANNEL, (payload) => {
    for (const [, version] of parseNotification(payload)) if (!seen.has(version)) seen.set(version, performance.now());
  });
  return {
    at: async (version) => {
      await listener.unlisten();
      await sql.end();
      return seen.get(version) ?? null;
    },
  };
}

async function xactCount(): Promise<number | null> {
  if (!process.env.DATABASE_URL) return null;
  const { default: postgres } = await import("postgres");
  const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`;
    return Number(row.n);
  } finally {
    await sql.end();
  }
}

async function main() {
  const backend = http.createServer((_req, res) => res.end('{"ok":true}')).listen(0, "127.0.0.1");
  await new Promise((r) => backend.once("listening", r));
  const backendPort = (backend.address() as { port: number }).port;
  const server = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
    env: { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", MERIDIAN_DATA_DIR: dataDir, MERIDIAN_GATEWAY: "off", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const gateways: SimulatedGateway[] = [];
  try {
    await waitFor(`${base}/api/health`, 600_000);
    const { deployRevision } = await import("@/lib/services/deployments/deploy-revision");
    const { rotateGatewayToken } = await import("@/lib/services/gateways/rotate-gateway-token");
    const { closeDb } = await import("@/lib/db/client");
    const seed = { actor: { id: "usr_bench", email: "bench@local", roles: ["admin" as const] }, requestId: "bench" };
    const ctx = await benchPublisher("fleet");
    const deploy = async (i: number) => {
      const api = await publishedApi(`fleet${i}`, `Fleet ${i}`, backendPort, ctx);
      await deployRevision(api.apiId, { revisionId: api.revisionId, environments: ["default"] }, ctx);
    };
    const seeding = performance.now();
    for (let i = 0; i < APIS; i++) await deploy(i);
    console.log(`${APIS} APIs deployed to default in ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
    const { token } = await rotateGatewayToken("default", seed);

    const agent = new Agent({ connections: GATEWAYS + 10, keepAliveTimeout: 120_000, headersTimeout: 60_000 });
    for (let i = 0; i < GATEWAYS; i++) gateways.push(new SimulatedGateway(agent, token));
    const joined = performance.now();
    for (const g of gateways) void g.run();
    while (gateways.some((g) => g.version === null)) await new Promise((r) => setTimeout(r, 50));
    const firstVersion = gateways[0].version!;
    while (gateways.some((g) => g.version !== firstVersion)) await new Promise((r) => setTimeout(r, 50));
    const snapshotBytes = JSON.stringify(gateways[0].snapshot).length;
    console.log(
      `${GATEWAYS} gateways hold version ${firstVersion} (${(snapshotBytes / 1024).toFixed(0)} KB, ${gateways[0].snapshot!.apis.length} APIs) after ${((performance.now() - joined) / 1000).toFixed(1)} s`,
    );

    // Quiet: everyone waits.
    await new Promise((r) => setTimeout(r, 2_000));
    const cpu0 = treeCpuSeconds(server.pid!);
    const x0 = await xactCount();
    await new Promise((r) => setTimeout(r, QUIET_SECONDS * 1000));
    const cpu1 = treeCpuSeconds(server.pid!);
    const x1 = await xactCount();

    // The wave: one deployment of an API made beforehand. On PostgreSQL the version's commit is
    // timed too, from the notification every web process listens to.
    const next = await publishedApi(`fleet${APIS}`, `Fleet ${APIS}`, backendPort, ctx);
    const committed = await notificationTimer();
    const started = performance.now();
    await deployRevision(next.apiId, { revisionId: next.revisionId, environments: ["default"] }, ctx);
    const deployedMs = performance.now() - started;
    const deadline = Date.now() + 60_000;
    const target = String(Number(firstVersion) + 1);
    const holds = () => gateways.filter((g) => g.version !== null && Number(g.version) >= Number(target)).length;
    while (holds() < GATEWAYS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const waveMs = performance.now() - started;
    const cpu2 = treeCpuSeconds(server.pid!);
    const x2 = await xactCount();
    const times = gateways.map((g) => (g.arrivals.get(target) ?? Infinity) - started).sort((a, b) => a - b);
    const deltas = gateways.reduce((n, g) => n + g.deltas, 0);

    console.log(`\none deployment → ${GATEWAYS} gateways (version ${target}), ${holds()} reached`);
    console.log(`  the deployment (one transaction, the version bumped in it): ${deployedMs.toFixed(0)} ms`);
    console.log(
      `  propagation from the deploy call: first ${times[0].toFixed(0)} ms   p50 ${percentile(times, 50).toFixed(0)} ms   p95 ${percentile(times, 95).toFixed(0)} ms   max ${times[times.length - 1].toFixed(0)} ms   (target p95 < 1000 ms)`,
    );
    const commit = await committed.at(target);
    if (commit !== null) {
      const fromCommit = times.map((t) => t + started - commit);
      console.log(
        `  from the version's commit: first ${fromCommit[0].toFixed(0)} ms   p50 ${percentile(fromCommit, 50).toFixed(0)} ms   p95 ${percentile(fromCommit, 95).toFixed(0)} ms   max ${fromCommit[fromCommit.length - 1].toFixed(0)} ms`,
      );
    }
    console.log(`  control plane CPU while ${GATEWAYS} gateways wait: ${(((cpu1 - cpu0) / QUIET_SECONDS) * 100).toFixed(1)}% of a core`);
    console.log(
      `  control plane CPU during the wave: ${(cpu2 - cpu1).toFixed(2)} CPU-seconds over ${(waveMs / 1000).toFixed(2)} s (deployment included)`,
    );
    if (x0 !== null && x1 !== null && x2 !== null) {
      console.log(
        `  database transactions per second while waiting: ${((x1 - x0) / QUIET_SECONDS).toFixed(1)}   during the wave: ${((x2 - x1) / (waveMs / 1000)).toFixed(0)}`,
      );
    } else console.log("  database transactions: measured on PostgreSQL only (set DATABASE_URL)");
    console.log(`  deltas applied in the wave: ${deltas} of ${GATEWAYS}`);
    await closeDb();
  } finally {
    for (const g of gateways) g.stop();
    server.kill("SIGTERM");
    backend.close();
    await new Promise((r) => setTimeout(r, 2_000));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
