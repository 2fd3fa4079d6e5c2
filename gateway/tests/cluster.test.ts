import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend } from "./support/backend";
import { FakeControlPlane } from "./support/fake-control-plane";
import { API_KEY, tempDir, testSnapshot, waitFor } from "./support/harness";
import { TestKeys } from "./support/keys";
import { promtoolProblems } from "./support/promtool";
import { spawnGateway, stopGateway } from "./support/spawn";

/**
 * `--workers 2`: one primary syncing for two worker processes on one port. Every request is
 * counted once in the aggregated metrics and once in analytics, the quota is shared, and a
 * SIGTERM drains both workers and delivers every event.
 */
describe("multi-process gateway", () => {
  const cp = new FakeControlPlane();
  const cacheDir = tempDir();
  let gateway: { child: ChildProcess; url: string };
  let closeBackend: () => Promise<void>;

  beforeAll(async () => {
    await cp.start();
    const backend = await startBackend();
    closeBackend = backend.close;
    cp.publish(testSnapshot(backend.url, await TestKeys.create()));
    gateway = await spawnGateway(
      {
        MERIDIAN_GATEWAY_ENVIRONMENT: "test",
        MERIDIAN_CONTROL_PLANE_URL: cp.url,
        MERIDIAN_GATEWAY_TOKEN: cp.token,
        MERIDIAN_GATEWAY_CACHE_DIR: cacheDir,
        MERIDIAN_GATEWAY_INSTANCE_ID: "gw-cluster",
        // Every request also as a raw event, so that the test can follow single requests.
        MERIDIAN_GATEWAY_EVENT_SAMPLE: "100%",
        REDIS_URL: "",
      },
      ["--workers", "2"],
    );
  }, 60_000);

  afterAll(async () => {
    await stopGateway(gateway.child);
    await cp.stop();
    await closeBackend();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it("is ready once both workers serve the snapshot", async () => {
    const res = await fetch(`${gateway.url}/__meridian/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", version: "1", workers: { ready: 2, total: 2 } });
  });

  it("spreads connections over the workers and aggregates their metrics", async () => {
    // Fresh connections each time (no keep-alive), so that the primary hands them out in turn.
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${gateway.url}/pets/v1/m-${i}`, { headers: { apikey: API_KEY, connection: "close" } }).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    const text = await (await fetch(`${gateway.url}/__meridian/metrics`)).text();
    expect(text).toMatch(/meridian_gateway_requests_total\{api="api_pets",status="200"\} 20\n/);
    expect(text).toContain('meridian_gateway_snapshot_info{version="1"} 1');
    // Both workers served: each reports its own process metrics, summed here per worker count.
    expect(text).toMatch(/meridian_gateway_request_duration_seconds_count\{api="api_pets"\} 20\n/);
    // The primary's aggregate is what Prometheus scrapes: it must pass promtool like one process's.
    expect(promtoolProblems(text)).toEqual([]);
  });

  it("shares one monthly quota between the workers", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await fetch(`${gateway.url}/metered/v1/x`, { headers: { apikey: API_KEY, connection: "close" } })).status);
    expect(statuses).toEqual([200, 200, 200]);
    // Past one sync (500 ms), every worker knows the others' counts.
    await new Promise((r) => setTimeout(r, 1_200));
    for (let i = 0; i < 4; i++)
      expect((await fetch(`${gateway.url}/metered/v1/x`, { headers: { apikey: API_KEY, connection: "close" } })).status).toBe(429);
  });

  it("drains on SIGTERM and delivers every event exactly once", async () => {
    for (let i = 0; i < 10; i++)
      expect((await fetch(`${gateway.url}/pets/v1/e-${i}`, { headers: { apikey: API_KEY, connection: "close" } })).status).toBe(200);
    expect(await stopGateway(gateway.child)).toBe(0);
    const spool = path.join(cacheDir, "test", "events", "gw-cluster");
    await waitFor(
      () =>
        fs.readdirSync(spool).filter((f) => f.endsWith(".json")).length === 0 &&
        cp.events.filter((e) => e.path.startsWith("/pets/v1/e-")).length === 10,
    );
    const paths = cp.events.map((e) => e.path).filter((p) => /^\/pets\/v1\/[em]-/.test(p));
    expect(paths.sort()).toEqual(
      [...Array.from({ length: 20 }, (_, i) => `/pets/v1/m-${i}`), ...Array.from({ length: 10 }, (_, i) => `/pets/v1/e-${i}`)].sort(),
    );
    expect(cp.events.every((e) => e.instanceId === "gw-cluster")).toBe(true);
    // The workers' per-minute aggregates count every request once, as many as the raw events at a 100% sample.
    expect(cp.aggregates.length).toBeGreaterThan(0);
    expect(cp.requestsCounted).toBe(cp.events.length);
    // The quota counts were saved by the primary for the next start.
    const saved = JSON.parse(fs.readFileSync(path.join(cacheDir, "test", "quotas", "gw-cluster.json"), "utf8"));
    expect(Object.values(saved)).toEqual([3]);
  });
});
