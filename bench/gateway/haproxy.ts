/**
 * `npx tsx bench/gateway/haproxy.ts`: the HAProxy agent (`agent/haproxy/main.ts` on the gateway
 * benchmark's snapshot: a JWT check and a tier that never triggers) against nginx as a plain
 * proxy with 1 worker, in alternating slices (BENCH_SLICES × BENCH_SLICE_SECONDS on each side,
 * BENCH_CONNECTIONS connections), in front of the same backend. Prints each side's req/s, their
 * ratio (target ≥ 0.9), and the CPU time per request of every process involved during each
 * side's slices: which process the difference comes from, on a machine whose speed drifts too
 * much for throughput alone to tell. BENCH_AGENT_FLAGS adds Node flags to the agent (for
 * example `--cpu-prof --cpu-prof-dir=…`). `bench/gateway/run.ts` measures the same row beside
 * the built-in gateway.
 */
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FakeControlPlane } from "@/gateway/tests/support/fake-control-plane";
import { TestKeys } from "@/gateway/tests/support/keys";
import { benchSnapshot } from "./bench-snapshot";
import { load } from "./load";
import { freePort, nginxConfig, start, stop, waitForPort } from "./processes";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SLICES = Number(process.env.BENCH_SLICES ?? 5);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 4);
const AGENT_FLAGS = process.env.BENCH_AGENT_FLAGS ? process.env.BENCH_AGENT_FLAGS.split(" ") : [];

/** The pids of processes whose command line contains `pattern`. */
function pids(pattern: string): number[] {
  try {
    return execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" }).trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** User + system CPU ticks of `processes` (all their threads), those that are gone counting 0. */
function ticks(processes: number[]): number {
  let total = 0;
  for (const pid of processes) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  return total;
}

const TICK_US = 1e6 / 100;

async function main(): Promise<void> {
  for (const binary of ["nginx", "haproxy"])
    try {
      execFileSync(binary === "haproxy" && fs.existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : binary, ["-v"], { stdio: "ignore" });
    } catch {
      throw new Error(`${binary} is not installed (apt-get install -y ${binary}).`);
    }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-bench-haproxy-"));
  const children: ChildProcess[] = [];
  const cp = new FakeControlPlane();
  try {
    const backendPort = await freePort();
    const backend = start(process.execPath, ["--import", "tsx", "bench/gateway/backend.ts"], { PORT: String(backendPort) });
    children.push(backend);
    await waitForPort(backendPort);

    const keys = await TestKeys.create();
    cp.discardEvents = true;
    await cp.start();
    cp.publish(benchSnapshot(backendPort, keys));
    const auth = { authorization: `Bearer ${await keys.token({ expiresIn: "2h" })}` };

    const nginxPort = await freePort();
    const nginx = start("nginx", ["-p", work, "-c", nginxConfig(work, nginxPort, backendPort, 1)]);
    children.push(nginx);
    await waitForPort(nginxPort);
    const nginxUrl = `http://127.0.0.1:${nginxPort}/pets/7`;

    const haproxyPort = await freePort();
    const agent = start(
      process.execPath,
      [
        "--import",
        "tsx",
        ...AGENT_FLAGS,
        "agent/haproxy/main.ts",
        "--haproxy-config-dir",
        path.join(work, "haproxy"),
        "--port",
        String(haproxyPort),
        "--host",
        "127.0.0.1",
      ],
      {
        NODE_ENV: "production",
        LOG_LEVEL: "error",
        MERIDIAN_GATEWAY_ENVIRONMENT: "bench",
        MERIDIAN_CONTROL_PLANE_URL: cp.url,
        MERIDIAN_GATEWAY_TOKEN: cp.token,
        MERIDIAN_GATEWAY_INSTANCE_ID: "bench-haproxy",
      },
    );
    children.push(agent);
    const haproxyUrl = `http://127.0.0.1:${haproxyPort}/bench/v1/pets/7`;
    for (let i = 0; i < 400 && (await fetch(haproxyUrl, { headers: auth }).catch(() => null))?.status !== 200; i++)
      await new Promise((r) => setTimeout(r, 50));
    const probe = await fetch(haproxyUrl, { headers: auth });
    if (probe.status !== 200) throw new Error(`HAProxy answered ${probe.status}: ${await probe.text()}`);

    const processes: Record<string, number[]> = {
      nginx: [nginx.pid ?? 0, ...pids(`nginx: worker process`)],
      haproxy: pids(path.join(work, "haproxy")).filter((pid) => pid !== agent.pid),
      agent: [agent.pid ?? 0],
      backend: [backend.pid ?? 0],
    };
    const names = Object.keys(processes);
    const cpu = { nginx: new Map<string, number>(), haproxy: new Map<string, number>() };
    const totals = { nginx: { rps: 0, requests: 0 }, haproxy: { rps: 0, requests: 0 } };
    const ratios: number[] = [];

    console.log(
      `loopback, ${os.cpus().length} CPUs, ${CONNECTIONS} connections, ${SLICES} alternating slices of ${SLICE_SECONDS} s on each side`,
    );
    await load(nginxUrl, { connections: CONNECTIONS, seconds: 2 });
    for (let i = 0; i < SLICES; i++) {
      let slice = 0;
      for (const [side, url, headers] of [
        ["nginx", nginxUrl, {}],
        ["haproxy", haproxyUrl, auth],
      ] as const) {
        const before = names.map((n) => ticks(processes[n]));
        const result = await load(url, { connections: CONNECTIONS, seconds: SLICE_SECONDS, headers });
        names.forEach((n, k) => cpu[side].set(n, (cpu[side].get(n) ?? 0) + ticks(processes[n]) - before[k]));
        totals[side].rps += result.rps;
        totals[side].requests += result.rps * SLICE_SECONDS;
        slice = side === "nginx" ? result.rps : result.rps / slice;
      }
      ratios.push(slice);
    }
    const perRequest = (side: "nginx" | "haproxy") =>
      names.map((n) => `${n} ${(((cpu[side].get(n) ?? 0) * TICK_US) / totals[side].requests).toFixed(1)}`).join(", ");
    console.log(`nginx (1 worker): ${(totals.nginx.rps / SLICES).toFixed(0)} req/s`);
    console.log(`haproxy agent (JWT + tier): ${(totals.haproxy.rps / SLICES).toFixed(0)} req/s`);
    console.log(
      `haproxy agent ÷ nginx 1, alternating: ${(totals.haproxy.rps / totals.nginx.rps).toFixed(2)} (target ≥ 0.9); slices ${ratios.map((r) => r.toFixed(2)).join(" ")}`,
    );
    console.log(`CPU µs per request during nginx's slices: ${perRequest("nginx")}`);
    console.log(`CPU µs per request during the agent's slices: ${perRequest("haproxy")}`);
  } finally {
    for (const child of children.reverse()) await stop(child);
    await cp.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
