/**
 * `npx tsx bench/gateway/haproxy.ts`: the HAProxy agent (`agent/haproxy/main.ts` on the gateway
 * benchmark's snapshot: a JWT check and a tier that never triggers) against nginx as a plain
 * proxy with 1 worker and with `auto` workers (one per CPU, as Debian ships it), in front of the
 * same backend, each in turn for BENCH_SLICE_SECONDS, BENCH_SLICES rounds (BENCH_CONNECTIONS
 * connections): a machine whose speed drifts skews the ratios far less than in separate runs.
 * Prints each side's req/s, the ratios (target ≥ 0.9), and the CPU time per request of every
 * process involved during each side's slices: which process a difference comes from. BENCH_AGENT_FLAGS adds Node flags to the agent (for
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

    // nginx with 1 worker, and with one per CPU as Debian ships it.
    const nginx = new Map<string, { child: ChildProcess; url: string }>();
    for (const workers of [1, "auto"] as const) {
      const port = await freePort();
      const child = start("nginx", ["-p", work, "-c", nginxConfig(work, port, backendPort, workers)]);
      children.push(child);
      await waitForPort(port);
      nginx.set(`nginx ${workers}`, { child, url: `http://127.0.0.1:${port}/pets/7` });
    }

    const { child: agent, url: haproxyUrl } = await startHaproxyAgentProcess(cp, path.join(work, "haproxy"), auth, AGENT_FLAGS);
    children.push(agent);
    const probe = await fetch(haproxyUrl, { headers: auth });
    if (probe.status !== 200) throw new Error(`HAProxy answered ${probe.status}: ${await probe.text()}`);

    const sum = (u: { user: number; sys: number }) => u.user + u.sys;
    // HAProxy's master and worker are the agent's children.
    const usage = (): Record<string, number> => {
      const agentAlone = sum(cpuSeconds(agent.pid ?? 0));
      return {
        ...Object.fromEntries([...nginx].map(([name, n]) => [name, sum(treeCpuSeconds(n.child.pid ?? 0))])),
        haproxy: Math.max(0, sum(treeCpuSeconds(agent.pid ?? 0)) - agentAlone),
        agent: agentAlone,
        backend: sum(cpuSeconds(backend.pid ?? 0)),
      };
    };
    const HAPROXY = "haproxy agent";
    const sides: Array<{ name: string; url: string; headers: Record<string, string> }> = [
      ...[...nginx].map(([name, n]) => ({ name, url: n.url, headers: {} })),
      { name: HAPROXY, url: haproxyUrl, headers: auth },
    ];
    const processes = Object.keys(usage());
    const cpu = new Map(sides.map((side) => [side.name, new Map<string, number>()]));
    const rps = new Map(sides.map((side) => [side.name, [] as number[]]));

    console.log(
      `loopback, ${os.cpus().length} CPUs, ${CONNECTIONS} connections, ${SLICES} rounds of ${SLICE_SECONDS} s on each of ${sides.map((s) => s.name).join(", ")} in turn`,
    );
    for (const side of sides) await load(side.url, { connections: CONNECTIONS, seconds: 2, headers: side.headers });
    for (let i = 0; i < SLICES; i++)
      for (const side of sides) {
        const before = usage();
        const result = await load(side.url, { connections: CONNECTIONS, seconds: SLICE_SECONDS, headers: side.headers });
        const after = usage();
        const spent = cpu.get(side.name)!;
        for (const n of processes) spent.set(n, (spent.get(n) ?? 0) + after[n] - before[n]);
        rps.get(side.name)!.push(result.rps);
      }
    const total = (name: string) => rps.get(name)!.reduce((a, b) => a + b, 0);
    for (const side of sides) {
      const requests = total(side.name) * SLICE_SECONDS;
      const spent = [...cpu.get(side.name)!]
        .filter(([, seconds]) => seconds > 0.005)
        .map(([n, seconds]) => `${n} ${((seconds * 1e6) / requests).toFixed(1)}`)
        .join(", ");
      console.log(`${side.name}: ${(total(side.name) / SLICES).toFixed(0)} req/s; CPU µs per request: ${spent}`);
    }
    for (const name of nginx.keys()) {
      const slices = rps.get(HAPROXY)!.map((r, k) => (r / rps.get(name)![k]).toFixed(2));
      console.log(`${HAPROXY} ÷ ${name}: ${(total(HAPROXY) / total(name)).toFixed(2)} (target ≥ 0.9); rounds ${slices.join(" ")}`);
    }
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
