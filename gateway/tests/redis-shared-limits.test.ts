import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend } from "./support/backend";
import { FakeControlPlane } from "./support/fake-control-plane";
import { API_KEY, tempDir, testSnapshot } from "./support/harness";
import { TestKeys } from "./support/keys";
import { spawnGateway, stopGateway } from "./support/spawn";

/**
 * Two gateway processes, started as `npm run gateway` starts them, share one Redis: together
 * they allow the tier's requests once, not once each, and count one monthly quota. Runs when
 * REDIS_URL is set (CI sets it).
 */
const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!REDIS_URL)("rate limits shared through Redis", () => {
  const cp = new FakeControlPlane();
  const environment = `redis-${randomUUID().slice(0, 8)}`;
  const gateways: { child: ChildProcess; url: string }[] = [];
  let cacheDir: string;
  let closeBackend: () => Promise<void>;

  beforeAll(async () => {
    await cp.start();
    const backend = await startBackend();
    closeBackend = backend.close;
    const keys = await TestKeys.create();
    const snapshot = testSnapshot(backend.url, keys, "1");
    snapshot.environment.name = environment;
    snapshot.tiers = snapshot.tiers.map((t) => (t.name === "Bronze" ? { ...t, requests: 5, burst: 5 } : t));
    cp.publish(snapshot);
    cacheDir = tempDir();
    for (const instance of ["a", "b"]) {
      gateways.push(
        await spawnGateway({
          MERIDIAN_GATEWAY_ENVIRONMENT: environment,
          MERIDIAN_CONTROL_PLANE_URL: cp.url,
          MERIDIAN_GATEWAY_TOKEN: cp.token,
          MERIDIAN_GATEWAY_CACHE_DIR: cacheDir,
          MERIDIAN_GATEWAY_INSTANCE_ID: `gw-${instance}`,
          REDIS_URL: REDIS_URL!,
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(gateways.map(({ child }) => stopGateway(child)));
    await cp.stop();
    await closeBackend();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it("allows the tier once across both replicas", async () => {
    for (const { url } of gateways) {
      const deadline = Date.now() + 10_000;
      while ((await fetch(`${url}/readyz`)).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    }
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${gateways[i % 2].url}/tight/v1/x`, { headers: { apikey: API_KEY } });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
  });

  it("counts the monthly quota once across both replicas", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await fetch(`${gateways[i % 2].url}/metered/v1/x`, { headers: { apikey: API_KEY } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});
