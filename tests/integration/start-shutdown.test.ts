import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, runScript, waitFor200, type Spawned } from "./processes";

// `npm start` builds the web app first when no build is current (minutes, once); the drain
// itself is measured from SIGTERM.
const BUILD_AND_START_MS = 15 * 60_000;
const GRACE_MS = 10_000;

let started: Spawned | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-stop-"));
afterAll(async () => {
  // SIGTERM, then wait: the script stops its own children in order.
  if (started && started.child.exitCode === null && started.child.signalCode === null) {
    started.child.kill("SIGTERM");
    await Promise.race([started.exit, new Promise((r) => setTimeout(r, 15_000))]);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Sends SIGTERM and waits (10 s at most) until the process is gone. */
async function stopProcess(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
}

/** Requests in a loop on keep-alive connections until told to stop; every status counted. */
function load(urls: string[], concurrency: number) {
  const statuses: number[] = [];
  let refused = 0;
  let running = true;
  const loops = Array.from({ length: concurrency }, async (_, i) => {
    while (running) {
      const url = urls[i % urls.length];
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
        await res.arrayBuffer();
        statuses.push(res.status);
      } catch {
        // A closed listener or connection is what a stopping server should answer with.
        refused++;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    statuses,
    refused: () => refused,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe("npm start stopped with SIGTERM", () => {
  it(
    "drains the web app, then stops the worker and closes the database, within 10 s and without a 5xx",
    { timeout: BUILD_AND_START_MS + 60_000 },
    async () => {
      const port = await freePort();
      const gatewayPort = await freePort();
      const base = `http://127.0.0.1:${port}`;
      started = runScript("scripts/start.ts", {
        PORT: String(port),
        HOST: "127.0.0.1",
        NEXTAUTH_URL: base,
        MERIDIAN_DATA_DIR: dataDir,
        MERIDIAN_GATEWAY_PORT: String(gatewayPort),
        MERIDIAN_ADMIN_EMAIL: "admin@stop.test",
        MERIDIAN_ADMIN_PASSWORD: "Stop-admin-password-1",
        NEXTAUTH_SECRET: "stop-test-nextauth-secret-0123456789",
        MERIDIAN_SHUTDOWN_TIMEOUT_MS: "",
        LOG_LEVEL: "warn",
      });
      await waitFor200(`${base}/api/health`, started, BUILD_AND_START_MS);
      // The built-in gateway long-polls the web app: the request a drain used to wait 30 s for.
      await waitFor200(`http://127.0.0.1:${gatewayPort}/__meridian/healthz`, started, 60_000);
      await new Promise((r) => setTimeout(r, 2_000));

      // Database-backed endpoints, on keep-alive connections, from several clients at once
      // (each answered once first: a fresh server loads a route on its first request).
      const urls = [`${base}/api/health`, `${base}/api/v1/catalog`, `${base}/oauth2/jwks`];
      for (const url of urls) await fetch(url, { signal: AbortSignal.timeout(60_000) }).then((r) => r.arrayBuffer());
      const traffic = load(urls, 6);
      await new Promise((r) => setTimeout(r, 3_000));
      const before = traffic.statuses.length;
      const sentAt = Date.now();
      started.child.kill("SIGTERM");
      const code = await Promise.race([started.exit, new Promise((r) => setTimeout(() => r("still running"), GRACE_MS + 5_000))]);
      const tookMs = Date.now() - sentAt;
      await traffic.stop();
      const statusCounts = Object.entries(
        traffic.statuses.reduce<Record<number, number>>((acc, st) => ({ ...acc, [st]: (acc[st] ?? 0) + 1 }), {}),
      );
      console.log(
        started
          .output()
          .split("\n")
          .find((l) => l.startsWith("Stopped:")),
      );
      console.log(
        `stopped in ${tookMs} ms; ${before} answers before SIGTERM, ${traffic.statuses.length - before} after; statuses ${JSON.stringify(statusCounts)}; ${traffic.refused()} refused`,
      );

      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(GRACE_MS);
      expect(before).toBeGreaterThan(0);
      expect(traffic.statuses.filter((s) => s >= 500)).toEqual([]);
      // Nothing is left behind: neither the web app nor the gateway still answers.
      const after = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.status,
        () => "refused",
      );
      expect(after).toBe("refused");
      const gatewayAfter = await fetch(`http://127.0.0.1:${gatewayPort}/__meridian/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.status,
        () => "refused",
      );
      expect(gatewayAfter).toBe("refused");
    },
  );
});

describe("npm start with MERIDIAN_GATEWAY=detached", () => {
  it(
    "leaves its gateway serving while the control plane restarts, and adopts it again",
    { timeout: BUILD_AND_START_MS + 120_000 },
    async () => {
      const port = await freePort();
      const gatewayPort = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-detached-"));
      const env = {
        PORT: String(port),
        HOST: "127.0.0.1",
        NEXTAUTH_URL: base,
        MERIDIAN_DATA_DIR: dir,
        MERIDIAN_GATEWAY: "detached",
        MERIDIAN_GATEWAY_PORT: String(gatewayPort),
        MERIDIAN_ADMIN_EMAIL: "admin@detached.test",
        MERIDIAN_ADMIN_PASSWORD: "Detached-admin-password-1",
        NEXTAUTH_SECRET: "detached-test-nextauth-secret-0123456789",
        LOG_LEVEL: "warn",
      };
      const pidFile = path.join(dir, "gateway", "default.pid");
      let gatewayPid: number | undefined;
      try {
        const first = runScript("scripts/start.ts", env);
        started = first;
        await waitFor200(`${base}/api/health`, first, BUILD_AND_START_MS);
        await waitFor200(`http://127.0.0.1:${gatewayPort}/__meridian/healthz`, first, 60_000);
        gatewayPid = Number(fs.readFileSync(pidFile, "utf8"));
        expect(first.output()).toContain(`started as pid ${gatewayPid}`);

        // Traffic to the gateway all through the control plane's stop and start.
        const traffic = load(
          [`http://127.0.0.1:${gatewayPort}/__meridian/healthz`, `http://127.0.0.1:${gatewayPort}/__meridian/metrics`],
          4,
        );
        first.child.kill("SIGTERM");
        await first.exit;
        expect(
          await fetch(`${base}/api/health`).then(
            () => "up",
            () => "down",
          ),
        ).toBe("down");
        const second = runScript("scripts/start.ts", env);
        started = second;
        await waitFor200(`${base}/api/health`, second, 120_000);
        await new Promise((r) => setTimeout(r, 1_000));
        await traffic.stop();

        expect(second.output()).toContain(`adopted the one already running as pid ${gatewayPid}`);
        expect(Number(fs.readFileSync(pidFile, "utf8"))).toBe(gatewayPid);
        expect(traffic.refused()).toBe(0);
        expect(traffic.statuses.length).toBeGreaterThan(0);
        expect(traffic.statuses.filter((s) => s >= 500)).toEqual([]);
        second.child.kill("SIGTERM");
        expect(await second.exit).toBe(0);
      } finally {
        if (gatewayPid) await stopProcess(gatewayPid);
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      }
    },
  );
});
