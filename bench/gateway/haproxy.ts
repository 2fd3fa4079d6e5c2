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
import { execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FakeControlPlane } from "@/gateway/tests/support/fake-control-plane";
import { TestKeys } from "@/gateway/tests/support/keys";
import { benchSnapshot } from "./bench-snapshot";
import { load } from "./load";
import { cpuSeconds, freePort, nginxConfig, start, startHaproxyAgentProcess, stop, treeCpuSeconds, waitForPort } from "./processes";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SLICES = Number(process.env.BENCH_SLICES ?? 5);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 4);
const AGENT_FLAGS = process.env.BENCH_AGENT_FLAGS ? process.env.BENCH_AGENT_FLAGS.split(" ") : [];

/** CPU seconds (user + kernel) of each measured process. */
type Usage = Record<"nginx" | "haproxy" | "agent" | "backend", number>;

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

    const { child: agent, url: haproxyUrl } = await startHaproxyAgentProcess(cp, path.join(work, "haproxy"), auth, AGENT_FLAGS);
    children.push(agent);
    const probe = await fetch(haproxyUrl, { headers: auth });
    if (probe.status !== 200) throw new Error(`HAProxy answered ${probe.status}: ${await probe.text()}`);

    const sum = (u: { user: number; sys: number }) => u.user + u.sys;
    // HAProxy's master and worker are the agent's children.
    const usage = (): Usage => {
      const agentAlone = sum(cpuSeconds(agent.pid ?? 0));
      return {
        nginx: sum(treeCpuSeconds(nginx.pid ?? 0)),
        haproxy: Math.max(0, sum(treeCpuSeconds(agent.pid ?? 0)) - agentAlone),
        agent: agentAlone,
        backend: sum(cpuSeconds(backend.pid ?? 0)),
      };
    };
    const names = ["nginx", "haproxy", "agent", "backend"] as const;
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
        const before = usage();
        const result = await load(url, { connections: CONNECTIONS, seconds: SLICE_SECONDS, headers });
        const after = usage();
        for (const n of names) cpu[side].set(n, (cpu[side].get(n) ?? 0) + after[n] - before[n]);
        totals[side].rps += result.rps;
        totals[side].requests += result.rps * SLICE_SECONDS;
        slice = side === "nginx" ? result.rps : result.rps / slice;
      }
      ratios.push(slice);
    }
    const perRequest = (side: "nginx" | "haproxy") =>
      names.map((n) => `${n} ${(((cpu[side].get(n) ?? 0) * 1e6) / totals[side].requests).toFixed(1)}`).join(", ");
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
