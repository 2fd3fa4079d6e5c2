/**
 * bench/deploy: one revision to N emulated AWS (or Kong) environments at once, through the real
 * deployment engine (jobs on the Postgres queue, the worker, the AWS connector with the real
 * SDK, or the Kong connector over the Admin API) against the vendor's emulator. Prints the total
 * time against the slowest single deployment, with and without a simulated network round trip
 * in front of the emulator. Each Kong environment is an emulator of its own, as each Kong
 * cluster has its own Admin API.
 *
 *   npx tsx bench/deploy/run.ts [--gateway aws|kong] [--kong-mode database|dbless] [--environments 10] [--rtt 0,50]
 *
 * Uses an in-memory embedded database unless DATABASE_URL is set.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    environments: { type: "string", default: "10" },
    rtt: { type: "string", default: "0,50" },
    gateway: { type: "string", default: "aws" },
    "kong-mode": { type: "string", default: "database" },
  },
});
if (values.gateway !== "aws" && values.gateway !== "kong") throw new Error("--gateway is aws or kong.");
if (values["kong-mode"] !== "database" && values["kong-mode"] !== "dbless") throw new Error("--kong-mode is database or dbless.");
const GATEWAY = values.gateway;
const KONG_MODE = values["kong-mode"] as "database" | "dbless";
const N = Number(values.environments);
const RTTS = values.rtt.split(",").map(Number);
process.env.MERIDIAN_DATA_DIR ??= "memory://";
process.env.LOG_LEVEL ??= "error";
process.env.MERIDIAN_SECRET_KEY ??= "bench-secret-key-0123456789abcdef0123456789";

/** A proxy that holds every request for `rttMs` before passing it on: a stand-in for the distance to AWS. */
async function delayProxy(target: string, rttMs: number): Promise<{ url: string; close: () => void }> {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    }, rttMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const ms = (a: Date | string, b: Date | string) => new Date(b).getTime() - new Date(a).getTime();

async function main() {
  const { startAwsEmulator } = await import("../../e2e/emulators/aws/server");
  const { startKongEmulator } = await import("../../e2e/emulators/kong/server");
  const { getDb, closeDb } = await import("@/lib/db/client");
  const { ensureDefaults } = await import("@/lib/services/environments/ensure-defaults");
  const { createUser } = await import("@/lib/services/users/create-user");
  const { createApi } = await import("@/lib/services/apis/create-api");
  const { createRevision } = await import("@/lib/services/apis/create-revision");
  const { createEnvironment } = await import("@/lib/services/environments/create-environment");
  const { deployRevision } = await import("@/lib/services/deployments/deploy-revision");
  const { startWorker } = await import("@/lib/jobs/worker");
  const { JOB_HANDLERS } = await import("@/lib/jobs/handlers");
  const { jobs } = await import("@/lib/db/schema");
  const { inArray } = await import("drizzle-orm");

  const emulator = await startAwsEmulator();
  const kongs = GATEWAY === "kong" ? await Promise.all(Array.from({ length: N }, () => startKongEmulator({ mode: KONG_MODE }))) : [];
  await getDb();
  await ensureDefaults();
  const { user } = await createUser(
    { email: `bench-${Date.now()}@example.test`, password: "correct-horse-42", roles: ["admin", "publisher"] },
    { actor: { id: "usr_bench", email: "bench@example.test", roles: ["admin"] } },
  );
  const ctx = { actor: { id: user.id, email: user.email, roles: user.roles } };
  const paths = Object.fromEntries(
    Array.from({ length: 12 }, (_, i) => [
      `/resource${i}/{id}`,
      {
        get: {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "ok" } },
        },
      },
    ]),
  );
  const api = await createApi(
    {
      name: "Bench Orders",
      version: "v1",
      context: "/bench-orders",
      definition: JSON.stringify({ openapi: "3.0.3", info: { title: "Bench Orders", version: "v1" }, paths }),
      endpoints: { production: "http://127.0.0.1:9/backend", sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "x-api-key" },
      allowedTiers: ["Gold", "Silver", "Bronze"],
    },
    ctx,
  );
  const revision = await createRevision(api.id, { description: "bench" }, ctx);
  const worker = startWorker({ tasks: [], handlers: JOB_HANDLERS });
  const db = await getDb();

  async function deployAndWait(envs: string[]) {
    const started = Date.now();
    const rows = await deployRevision(api.id, { revisionId: revision.id, environments: envs }, ctx);
    const ids = rows.map((r) => r.jobId!);
    for (;;) {
      const list = await db.select().from(jobs).where(inArray(jobs.id, ids));
      if (list.every((j) => j.status === "succeeded" || j.status === "failed")) {
        const failed = list.filter((j) => j.status === "failed");
        if (failed.length) throw new Error(`${failed.length} deployments failed: ${failed[0].error}`);
        return { totalMs: Date.now() - started, perJobMs: list.map((j) => ms(j.createdAt, j.finishedAt!)).sort((a, b) => a - b) };
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  console.log(
    `bench/deploy: ${N} ${GATEWAY === "aws" ? "AWS" : `Kong (${KONG_MODE})`} environments (emulated), ${Object.keys(paths).length} operations, 3 ${GATEWAY === "aws" ? "usage plans" : "tiers"}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, ${os.cpus().length} CPUs`,
  );
  console.log("| round trip | single deployment alone | all at once: total | slowest of them | median | total ÷ slowest |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const rtt of RTTS) {
    const proxies = await Promise.all(GATEWAY === "aws" ? [delayProxy(emulator.url, rtt)] : kongs.map((k) => delayProxy(k.adminUrl, rtt)));
    const proxy = proxies[0];
    const names: string[] = [];
    for (let i = 0; i < N; i++) {
      const name = `${GATEWAY}-bench-${rtt}-${i}`;
      if (GATEWAY === "kong") {
        await createEnvironment(
          {
            name,
            type: "kong",
            mode: "write-only",
            displayName: name,
            publicUrls: [kongs[i].proxyUrl],
            config: { adminUrl: proxies[i].url, ...(KONG_MODE === "dbless" ? { mode: "dbless" } : {}) },
          },
          ctx,
        );
        names.push(name);
        continue;
      }
      await createEnvironment(
        {
          name,
          type: "aws",
          mode: "write-only",
          displayName: name,
          config: {
            region: "eu-west-1",
            accessKeyId: "AKIAMERIDIANEMULATOR",
            secretAccessKey: "meridian-emulator-secret",
            endpoint: proxy.url,
            invokeUrlTemplate: emulator.invokeUrlTemplate,
          },
        },
        ctx,
      );
      names.push(name);
    }
    // Warm-up (SDK loading, first queries), then the single deployment, then all N at once (redeploys over the same ones).
    await deployAndWait([names[0]]);
    const single = await deployAndWait([names[0]]);
    const all = await deployAndWait(names);
    const slowest = all.perJobMs[all.perJobMs.length - 1];
    const median = all.perJobMs[Math.floor(all.perJobMs.length / 2)];
    console.log(
      `| ${rtt} ms | ${single.totalMs} ms | ${all.totalMs} ms | ${slowest} ms | ${median} ms | ${(all.totalMs / slowest).toFixed(2)} |`,
    );
    for (const p of proxies) p.close();
  }
  await worker.stop();
  await emulator.close();
  await Promise.all(kongs.map((k) => k.close()));
  await closeDb();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
