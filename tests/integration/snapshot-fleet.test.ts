import { gunzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/gateway/v1/snapshot/route";
import { closeDb, getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { snapshotSchema } from "@/lib/domain/gateway/snapshot";
import { applySnapshotDelta, snapshotDeltaSchema } from "@/lib/domain/gateway/snapshot-delta";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { recordHeartbeat } from "@/lib/services/gateways/record-heartbeat";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";
import { forgetCheckedGatewayTokens, gatewayTokenLookups } from "@/lib/services/gateways/verify-gateway-token";
import { getSnapshotPropagation } from "@/lib/services/gateways/snapshot-propagation";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { snapshotCache } from "@/lib/services/snapshots/snapshot-cache";
import { SnapshotWatcher, snapshotWatcher } from "@/lib/services/snapshots/snapshot-watcher";
import { adminCtx } from "../helpers";

/**
 * Many simulated gateways long-polling one environment's snapshot through the real route
 * handler: one watcher per process and one build per version, whatever their number.
 */

let token: string;
let envId: string;

beforeAll(async () => {
  await ensureDefaults();
  token = (await rotateGatewayToken("default", adminCtx)).token;
  const db = await getDb();
  envId = (await db.select().from(environments).where(eq(environments.name, "default")))[0].id;
}, 60_000);

afterAll(async () => {
  await snapshotWatcher.close();
  await closeDb();
});

async function currentVersion(): Promise<string> {
  const db = await getDb();
  return String((await db.select({ v: environments.snapshotVersion }).from(environments).where(eq(environments.id, envId)))[0].v);
}

async function bump(): Promise<void> {
  const db = await getDb();
  await db.transaction((tx) => bumpSnapshotVersions(tx, [envId]));
}

function poll(
  known: string | null,
  options: { wait?: number; delta?: boolean; gzip?: boolean; signal?: AbortSignal } = {},
): Promise<Response> {
  const params = new URLSearchParams({ wait: String(options.wait ?? 0) });
  if (options.delta) params.set("delta", "1");
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (known !== null) headers["if-none-match"] = `"${known}"`;
  if (options.gzip) headers.accept = "application/gzip, application/json;q=0.5";
  return GET(new Request(`http://cp.test/api/gateway/v1/snapshot?${params}`, { headers, signal: options.signal }));
}

describe("snapshot sync for a fleet", () => {
  it("wakes every waiting gateway once per change, with one build, and waiting costs no query per gateway", async () => {
    const before = await currentVersion();
    // Warm the cache at the current version, as the fleet's first requests would.
    expect((await poll(null)).status).toBe(200);
    const fleet = 300;
    const received: string[][] = Array.from({ length: fleet }, () => []);
    const buildsBefore = snapshotCache.builds;
    const queriesBefore = snapshotWatcher.queries;
    // Each simulated gateway: long-poll, take what comes, poll again with it, until told to stop.
    const stop = new AbortController();
    const gateways = received.map(async (got) => {
      let known = before;
      while (!stop.signal.aborted) {
        const res = await poll(known, { wait: 10, signal: stop.signal });
        if (res.status === 200) {
          const version = res.headers.get("etag")!.replaceAll('"', "");
          got.push(version);
          known = version;
        } else await res.body?.cancel();
      }
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const idleQueries = snapshotWatcher.queries - queriesBefore;
    // One shared poll (or LISTEN and a slow safety poll): about 5 a second at most, not 300.
    expect(idleQueries).toBeLessThanOrEqual(8);
    await bump();
    const after = String(Number(before) + 1);
    const deadline = Date.now() + 20_000;
    while (received.some((g) => g.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 500));
    stop.abort();
    await Promise.all(gateways);
    expect(received.every((g) => g.length === 1 && g[0] === after)).toBe(true);
    expect(snapshotCache.builds - buildsBefore).toBe(1);
  }, 60_000);

  it("checks a fleet's shared token once, forgets it when it is rotated, and never sends a gateway back to a version it has passed", async () => {
    const version = await currentVersion();
    forgetCheckedGatewayTokens();
    const before = gatewayTokenLookups.count;
    const answers = await Promise.all(Array.from({ length: 50 }, () => poll(version)));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(304));
    // Fifty re-polls arriving together: one look-up.
    expect(gatewayTokenLookups.count - before).toBe(1);

    // A change this process has not seen yet (no gateway waited for it): the remembered environment
    // still names the old version, but a gateway that already holds the new one is not sent back.
    await bump();
    const newer = await currentVersion();
    const ahead = await poll(newer, { wait: 1 });
    expect(ahead.status).toBe(304);
    expect(ahead.headers.get("etag")).toBe(`"${newer}"`);

    // Rotation: the old token is refused at once by the process that rotated it.
    const old = token;
    token = (await rotateGatewayToken("default", adminCtx)).token;
    const refused = await GET(new Request("http://cp.test/api/gateway/v1/snapshot", { headers: { authorization: `Bearer ${old}` } }));
    expect(refused.status).toBe(401);
    expect((await poll(null)).status).toBe(200);
  });

  it("sends a gateway behind by several versions only what changed, and a gateway with a forgotten version the whole snapshot", async () => {
    const old = await currentVersion();
    const oldSnapshot = snapshotSchema.parse(await (await poll(null)).json());
    for (let i = 0; i < 3; i++) await bump();
    const res = await poll(old, { delta: true });
    expect(res.status).toBe(200);
    const body = await res.json();
    const delta = snapshotDeltaSchema.parse(body);
    expect(delta.base).toBe(old);
    const converged = snapshotSchema.parse(applySnapshotDelta(oldSnapshot, delta));
    const whole = snapshotSchema.parse(await (await poll(null)).json());
    expect({ ...converged, generatedAt: "" }).toEqual({ ...whole, generatedAt: "" });
    // A version this process never built (skipped over): the whole snapshot.
    const forgotten = await (await poll(String(Number(old) + 1), { delta: true })).json();
    expect(forgotten.delta).toBeUndefined();
    expect(snapshotSchema.safeParse(forgotten).success).toBe(true);
  });

  it("compresses the snapshot for a gateway that accepts gzip", async () => {
    const res = await poll(null, { gzip: true });
    expect(res.headers.get("content-type")).toBe("application/gzip");
    expect(res.headers.get("cache-control")).toContain("no-transform");
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8");
    expect(snapshotSchema.safeParse(JSON.parse(text)).success).toBe(true);
  });

  it("lets the watchers of two processes on one database both see a change", async () => {
    // A second process's watcher: on PostgreSQL it has its own LISTEN connection.
    const other = new SnapshotWatcher();
    try {
      const known = await currentVersion();
      const waits = [snapshotWatcher.wait(envId, known, 5_000), other.wait(envId, known, 5_000)];
      await new Promise((r) => setTimeout(r, 300));
      await bump();
      const [a, b] = await Promise.all(waits);
      expect([a, b]).toEqual([String(Number(known) + 1), String(Number(known) + 1)]);
    } finally {
      await other.close();
    }
  });

  it("tells which instances serve which version and how long the last change took to reach them all", async () => {
    await bump();
    const version = Number(await currentVersion());
    const db = await getDb();
    // The change happened ten seconds ago (reported times are never later than the control plane's now).
    const changedAt = new Date(Date.now() - 10_000);
    await db.update(environments).set({ snapshotChangedAt: changedAt }).where(eq(environments.id, envId));
    await recordHeartbeat(envId, {
      instanceId: "fleet-a",
      region: "eu",
      appliedVersion: version,
      appliedAt: new Date(changedAt.getTime() + 300),
    });
    await recordHeartbeat(envId, {
      instanceId: "fleet-b",
      region: "eu",
      appliedVersion: version - 1,
      appliedAt: new Date(changedAt.getTime() - 5_000),
    });
    let view = await getSnapshotPropagation("default", adminCtx);
    expect(view).toMatchObject({
      snapshotVersion: version,
      healthy: 2,
      current: 1,
      reachedAllMs: null,
      versions: [
        { version, instances: 1 },
        { version: version - 1, instances: 1 },
      ],
    });
    expect(view.gzipBytes).toBeLessThan(view.snapshotBytes);
    // A heartbeat at the same version keeps the time the instance applied it.
    await recordHeartbeat(envId, {
      instanceId: "fleet-b",
      region: "eu",
      appliedVersion: version,
      appliedAt: new Date(changedAt.getTime() + 700),
    });
    await recordHeartbeat(envId, { instanceId: "fleet-a", region: "eu", appliedVersion: version });
    view = await getSnapshotPropagation("default", adminCtx);
    expect(view).toMatchObject({ healthy: 2, current: 2, reachedAllMs: 700, versions: [{ version, instances: 2 }] });
  });
});
