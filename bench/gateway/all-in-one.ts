/**
 * `npx tsx bench/gateway/all-in-one.ts`: the all-in-one row. Meridian as a new user runs it
 * (`npm start`: the web app, the worker, the embedded database and the built-in gateway on one
 * machine, in a fresh BENCH_DATA_DIR), an API secured by JWT with a subscription tier that never
 * triggers, deployed to the default environment; beside it nginx (1 worker) as a plain reverse
 * proxy and the same gateway against a stand-in control plane (which discards analytics), all
 * in front of one backend. Measured in alternating slices (BENCH_SLICES × BENCH_SLICE_SECONDS,
 * BENCH_CONNECTIONS connections): req/s of each, the all-in-one gateway ÷ nginx and ÷ the
 * stand-in gateway, and the control plane's CPU (the `npm start` process tree without its
 * gateway: web app, worker, database) per 1,000 proxied requests, beside the gateway's own.
 * Goals (issue 21): within 10% of the stand-in gateway; control-plane CPU under 5% of the gateway's.
 */
import type { ChildProcess } from "node:child_process";
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
const DATA_DIR = process.env.BENCH_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "meridian-all-in-one-"));
const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + kernel) of a process and its descendants, from /proc (Linux). */
function treeCpu(pid: number, skip = new Set<number>()): number {
  if (skip.has(pid)) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    let total = (Number(fields[11]) + Number(fields[12])) / 100;
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const kids = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const kid of kids ? kids.split(" ") : []) total += treeCpu(Number(kid), skip);
    }
    return total;
  } catch {
    return 0;
  }
}

/** The topmost descendant of `pid` whose command line names `needle`. */
function findDescendant(pid: number, needle: string): number | null {
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const kids = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const kid of kids ? kids.split(" ").map(Number) : []) {
        if (fs.readFileSync(`/proc/${kid}/cmdline`, "utf8").includes(needle)) return kid;
        const deeper = findDescendant(kid, needle);
        if (deeper) return deeper;
      }
    }
  } catch {
    // gone
  }
  return null;
}

/** The API, tier, application and subscription in the running Meridian, through its own database socket; returns a token. */
async function provision(baseUrl: string, backendPort: number): Promise<{ context: string; token: string }> {
  process.env.MERIDIAN_DATA_DIR = DATA_DIR;
  delete process.env.DATABASE_URL;
  const { getDb, closeDb } = await import("@/lib/db/client");
  const { createTier } = await import("@/lib/services/tiers/create-tier");
  const { createApi } = await import("@/lib/services/apis/create-api");
  const { changeLifecycle } = await import("@/lib/services/apis/change-lifecycle");
  const { createRevision } = await import("@/lib/services/apis/create-revision");
  const { deployRevision } = await import("@/lib/services/deployments/deploy-revision");
  const { createApplication } = await import("@/lib/services/applications/create-application");
  const { createSubscription } = await import("@/lib/services/subscriptions/create-subscription");
  const { generateClientCredentials } = await import("@/lib/services/applications/generate-client-credentials");
  await getDb();
  const { createUser } = await import("@/lib/services/users/create-user");
  const root = { actor: { id: "usr_bench_root", email: "root@bench.local", roles: ["admin"] }, requestId: "bench" } as never;
  const { user } = await createUser(
    { email: `bench-${Date.now().toString(36)}@bench.local`, roles: ["admin", "publisher", "subscriber"], password: "correct-horse-42" },
    root,
  );
  const admin = { actor: { id: user.id, email: user.email, roles: user.roles }, requestId: "bench" } as never;
  await createTier({ name: "BenchHuge", requests: 1_000_000_000, unit: "minute", burst: 1_000_000 }, admin).catch(() => undefined);
  const context = `/aio${Date.now().toString(36)}`;
  const api = await createApi(
    {
      name: "All in one",
      version: "v1",
      context,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "Pets", version: "1" },
        paths: {
          "/pets/{id}": {
            get: {
              parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
              responses: { "200": { description: "ok" } },
            },
          },
        },
      }),
      endpoints: { production: `http://127.0.0.1:${backendPort}`, sandbox: null, overrides: {} },
      security: { scheme: "oauth2", apiKeyHeader: "apikey" },
      allowedTiers: ["BenchHuge"],
    },
    admin,
  );
  await changeLifecycle(api.id, { action: "publish" }, admin);
  const revision = await createRevision(api.id, { description: "bench" }, admin);
  await deployRevision(api.id, { revisionId: revision.id, environments: ["default"] }, admin);
  const app = await createApplication({ name: `bench-${Date.now().toString(36)}` }, admin);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "BenchHuge" }, admin);
  const creds = await generateClientCredentials(app.id, {}, admin);
  await closeDb();
  const res = await fetch(`${baseUrl}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: creds.clientId, client_secret: creds.clientSecret }),
  });
  if (!res.ok) throw new Error(`The token endpoint answered ${res.status}: ${await res.text()}`);
  return { context, token: ((await res.json()) as { access_token: string }).access_token };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-aio-"));
  const backendPort = await freePort();
  children.push(start(process.execPath, ["--import", "tsx", "bench/gateway/backend.ts"], { PORT: String(backendPort) }));
  await waitForPort(backendPort);

  const nginxPort = await freePort();
  children.push(start("nginx", ["-p", work, "-c", nginxConfig(work, nginxPort, backendPort, 1)]));
  await waitForPort(nginxPort);

  // The stand-in: the same gateway against a control plane that only serves a snapshot.
  const keys = await TestKeys.create();
  const cp = new FakeControlPlane();
  cp.discardEvents = true;
  await cp.start();
  cp.publish(benchSnapshot(backendPort, keys));
  const standInPort = await freePort();
  const standIn = start(process.execPath, ["--import", "tsx", "gateway/main.ts"], {
    NODE_ENV: "production",
    LOG_LEVEL: "error",
    MERIDIAN_GATEWAY_ENVIRONMENT: "bench",
    MERIDIAN_GATEWAY_PORT: String(standInPort),
    MERIDIAN_GATEWAY_HOST: "127.0.0.1",
    MERIDIAN_CONTROL_PLANE_URL: cp.url,
    MERIDIAN_GATEWAY_TOKEN: cp.token,
    MERIDIAN_GATEWAY_CACHE_DIR: path.join(work, "stand-in"),
    REDIS_URL: "",
  });
  children.push(standIn);
  await waitForPort(standInPort);

  // Meridian all in one, as `npm start` runs it.
  const webPort = await freePort();
  const gatewayPort = await freePort();
  const meridian = start(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    PORT: String(webPort),
    HOST: "127.0.0.1",
    MERIDIAN_DATA_DIR: DATA_DIR,
    MERIDIAN_GATEWAY_PORT: String(gatewayPort),
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
  });
  children.push(meridian);
  const baseUrl = `http://127.0.0.1:${webPort}`;
  for (
    let i = 0;
    i < 1800 &&
    !(await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await sleep(500);
  const { context, token } = await provision(baseUrl, backendPort);
  const auth = { authorization: `Bearer ${token}` };
  const aioUrl = `http://127.0.0.1:${gatewayPort}${context}/v1/pets/7`;
  for (
    let i = 0;
    i < 600 &&
    (await fetch(aioUrl, { headers: auth }).then(
      (r) => r.status,
      () => 0,
    )) !== 200;
    i++
  )
    await sleep(200);
  const gatewayPid = findDescendant(meridian.pid!, "gateway/main.ts");
  if (!gatewayPid) throw new Error("The built-in gateway of npm start was not found among its processes.");
  const standInToken = await keys.token({ expiresIn: "2h" });

  const targets = [
    { name: "nginx (1 worker)", url: `http://127.0.0.1:${nginxPort}/pets/7`, headers: undefined as Record<string, string> | undefined },
    {
      name: "gateway, stand-in control plane",
      url: `http://127.0.0.1:${standInPort}/bench/v1/pets/7`,
      headers: { authorization: `Bearer ${standInToken}` },
    },
    { name: "gateway, all in one (npm start)", url: aioUrl, headers: auth },
  ];
  for (const t of targets) await load(t.url, { connections: CONNECTIONS, seconds: 2, headers: t.headers });
  // The control plane's CPU while no request flows (web app, worker's periodic tasks, database): its idle cost.
  const idleSeconds = 10;
  await sleep(3_000);
  const idleBefore = treeCpu(meridian.pid!, new Set([gatewayPid]));
  await sleep(idleSeconds * 1000);
  const idleRate = (treeCpu(meridian.pid!, new Set([gatewayPid])) - idleBefore) / idleSeconds;
  const sums = targets.map(() => ({ requests: 0, seconds: 0, non2xx: 0 }));
  let controlPlaneCpu = 0;
  let gatewayCpu = 0;
  let aioRequests = 0;
  const loadAtStart = os.loadavg()[0];
  for (let i = 0; i < SLICES; i++) {
    for (const [k, t] of targets.entries()) {
      const cpBefore = treeCpu(meridian.pid!, new Set([gatewayPid]));
      const gwBefore = treeCpu(gatewayPid);
      const r = await load(t.url, { connections: CONNECTIONS, seconds: SLICE_SECONDS, headers: t.headers });
      sums[k].requests += r.rps * SLICE_SECONDS;
      sums[k].seconds += SLICE_SECONDS;
      sums[k].non2xx += r.non2xx + r.errors;
      if (k === 2) {
        controlPlaneCpu += treeCpu(meridian.pid!, new Set([gatewayPid])) - cpBefore;
        gatewayCpu += treeCpu(gatewayPid) - gwBefore;
        aioRequests += r.rps * SLICE_SECONDS;
      }
    }
  }
  // Analytics of the last slice arrive within the flush interval (1 s), and are rolled up within 10 s: their CPU counts too.
  const tailSeconds = 11;
  const cpTail = treeCpu(meridian.pid!, new Set([gatewayPid]));
  await sleep(tailSeconds * 1000);
  controlPlaneCpu += treeCpu(meridian.pid!, new Set([gatewayPid])) - cpTail;
  const measuredSeconds = SLICES * SLICE_SECONDS + tailSeconds;
  const trafficCpu = Math.max(0, controlPlaneCpu - idleRate * measuredSeconds);

  const rps = sums.map((s) => s.requests / s.seconds);
  console.log(
    `loopback, ${os.cpus().length} CPUs, ${CONNECTIONS} connections, ${SLICES} alternating slices of ${SLICE_SECONDS} s; load average ${loadAtStart.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`,
  );
  for (const [k, t] of targets.entries())
    console.log(
      `${t.name.padEnd(34)} ${rps[k].toFixed(0).padStart(8)} req/s${sums[k].non2xx ? `  (${sums[k].non2xx} errors or non-2xx)` : ""}`,
    );
  console.log(`all-in-one gateway ÷ nginx 1:            ${(rps[2] / rps[0]).toFixed(2)}`);
  console.log(`all-in-one gateway ÷ stand-in gateway:   ${(rps[2] / rps[1]).toFixed(2)} (goal ≥ 0.90)`);
  const per1000 = (cpu: number) => ((cpu * 1000 * 1000) / aioRequests).toFixed(1);
  console.log(`gateway CPU per 1,000 proxied requests: ${per1000(gatewayCpu)} ms`);
  console.log(
    `control-plane CPU per 1,000 proxied requests: ${per1000(controlPlaneCpu)} ms in all (${((100 * controlPlaneCpu) / gatewayCpu).toFixed(1)}% of the gateway's), of which its idle cost (${(idleRate * 100).toFixed(1)}% of a core, measured without traffic) ${per1000(idleRate * measuredSeconds)} ms; for the traffic: ${per1000(trafficCpu)} ms, ${((100 * trafficCpu) / gatewayCpu).toFixed(1)}% of the gateway's (goal < 5%)`,
  );
  await cp.stop();
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children.reverse()) await stop(child);
  });
