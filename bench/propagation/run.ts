/**
 * bench/propagation: deploy → first 200 through the built-in gateway, over 20 deploys.
 * Starts Meridian with its embedded defaults in a temporary data directory (web, worker and
 * the gateway of the default environment), a tiny backend, then deploys 20 new APIs one by one
 * and measures how long each takes to answer 200 through the gateway.
 *
 *   npx tsx bench/propagation/run.ts [--deploys 20]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchPublisher, publishedApi } from "./seed";

const { values } = parseArgs({ options: { deploys: { type: "string", default: "20" }, port: { type: "string", default: "3390" } } });
const DEPLOYS = Number(values.deploys);
const PORT = Number(values.port);
const GATEWAY_PORT = PORT + 1000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-propagation-"));
process.env.MERIDIAN_DATA_DIR = dataDir;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer in time`);
}

async function main() {
  const backend = http.createServer((_req, res) => res.end('{"ok":true}')).listen(0, "127.0.0.1");
  await new Promise((r) => backend.once("listening", r));
  const backendPort = (backend.address() as { port: number }).port;

  const server = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: "127.0.0.1",
      MERIDIAN_GATEWAY_PORT: String(GATEWAY_PORT),
      MERIDIAN_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitFor(`http://127.0.0.1:${PORT}/api/health`, 300_000);
    await waitFor(`http://127.0.0.1:${GATEWAY_PORT}/__meridian/healthz`, 60_000);

    // Services reach the embedded database through the running Meridian.
    const { deployRevision } = await import("@/lib/services/deployments/deploy-revision");
    const { closeDb } = await import("@/lib/db/client");
    const ctx = await benchPublisher("bench");

    const samples: number[] = [];
    for (let i = 0; i < DEPLOYS; i++) {
      const api = await publishedApi(`prop${i}`, `Propagation ${i}`, backendPort, ctx);
      const url = `http://127.0.0.1:${GATEWAY_PORT}/prop${i}/v1/ping`;
      const started = performance.now();
      await deployRevision(api.apiId, { revisionId: api.revisionId, environments: ["default"] }, ctx);
      for (;;) {
        const status = await fetch(url).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) break;
        if (performance.now() - started > 30_000) throw new Error(`deploy ${i} never served`);
        await new Promise((r) => setTimeout(r, 5));
      }
      samples.push(performance.now() - started);
    }
    await closeDb();
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(`deploy → first 200 through the built-in gateway, ${DEPLOYS} deploys`);
    console.log(
      `  p50 ${percentile(sorted, 50).toFixed(0)} ms   p95 ${percentile(sorted, 95).toFixed(0)} ms   max ${sorted[sorted.length - 1].toFixed(0)} ms   (target p95 < 1000 ms)`,
    );
  } finally {
    server.kill("SIGTERM");
    backend.close();
    await new Promise((r) => setTimeout(r, 1500));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
