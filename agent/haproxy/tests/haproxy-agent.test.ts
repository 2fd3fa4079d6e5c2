import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { startBackend } from "@/gateway/tests/support/backend";
import { FakeControlPlane } from "@/gateway/tests/support/fake-control-plane";
import { API_KEY, SANDBOX_API_KEY, testSnapshot, waitFor } from "@/gateway/tests/support/harness";
import { AUDIENCE, TestKeys } from "@/gateway/tests/support/keys";
import { runAgent, type RunningAgent } from "../../kit/run-agent";
import type { AgentConfig } from "../../kit/config";
import type { CompiledFiles } from "../../kit/types";
import { HaproxyDriver } from "../driver";
import { showInfo } from "../haproxy-process";

/**
 * The HAProxy agent end to end, with Debian's real HAProxy: a stand-in control plane serves
 * snapshots, the agent compiles and applies them, and requests go through HAProxy to a local
 * backend. One story, in order.
 */

/** A driver whose compiled configuration HAProxy refuses for snapshots whose version starts with `bad`. */
class BreakableDriver extends HaproxyDriver {
  override compile(snapshot: Snapshot): CompiledFiles {
    const files = super.compile(snapshot);
    if (!snapshot.version.startsWith("bad")) return files;
    return { ...files, "haproxy.cfg": `${files["haproxy.cfg"]}\nfrontend broken\n  bind 127.0.0.1:1\n  no-such-directive here\n` };
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let cp: FakeControlPlane;
let backend: Awaited<ReturnType<typeof startBackend>>;
let keys: TestKeys;
let agent: RunningAgent;
let driver: BreakableDriver;
let base: string;
let dir: string;
let version = 1;
/** APIs deployed by the cases, added to every later snapshot. */
const deployed: Snapshot["apis"] = [];

function snapshot(overrides: Partial<Snapshot> = {}, v = String(++version)): Snapshot {
  const s = testSnapshot(backend.url, keys, v);
  return {
    ...s,
    // What HAProxy refuses at plan time is left out: operation limits and monthly quotas.
    apis: [...s.apis.map((a) => ({ ...a, operations: a.operations.filter((o) => !o.rateLimit) })), ...deployed],
    tiers: s.tiers.map((t) => ({ ...t, monthlyQuota: null })),
    ...overrides,
  };
}

const get = (p: string, headers: Record<string, string> = {}) => fetch(`${base}${p}`, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** GETs over one kept-alive connection (the agent remembers a connection's last verified token). */
function oneConnection() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  const call = (p: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get(`${base}${p}`, { agent, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("socket", (socket) => sockets.add(socket));
      req.on("error", reject);
    });
  return { call, sockets, close: () => agent.destroy() };
}

/** How long until `check` holds, polling every 20 ms; fails past `limitMs`. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > limitMs) throw new Error(`Not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  keys = await TestKeys.create("key-1");
  backend = await startBackend();
  cp = new FakeControlPlane();
  await cp.start();
  cp.publish(snapshot({}, "1"));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mhx-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  driver = new BreakableDriver({ configDir: path.join(dir, "cfg"), bind: { host: "127.0.0.1", port } });
  const config: AgentConfig = {
    environment: "test",
    controlPlaneUrl: cp.url,
    token: cp.token,
    cacheDir: path.join(dir, "cache"),
    region: "local",
    instanceId: "haproxy-test",
    longPollSeconds: 5,
    heartbeatIntervalMs: 200,
    eventBatchSize: 100,
    eventFlushMs: 100,
    // Every call also as a raw event, so that the test can read their fields.
    eventSample: 1,
  };
  agent = await runAgent(driver, config);
  await waitFor(() => agent.appliedVersion() === "1", 15_000);
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await cp?.stop();
  await backend?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("HAProxy agent", () => {
  it("serves a deployment within 2 seconds of the snapshot", async () => {
    deployed.push({
      id: "api_new",
      name: "New",
      context: "/new",
      version: "v1",
      isDefaultVersion: false,
      lifecycleState: "PUBLISHED",
      revisionId: "rev_new",
      upstream: { production: `${backend.url}/fresh`, sandbox: null },
      security: [],
      operations: [{ method: "GET", path: "/*" }],
    });
    expect((await get("/new/v1/hello")).status).toBe(404);
    cp.publish(snapshot());
    const ms = await within(2_000, async () => (await get("/new/v1/hello")).status === 200);
    expect(ms).toBeLessThan(2_000);
    const echoed = (await (await get("/new/v1/hello?q=1")).json()) as { url: string };
    expect(echoed.url).toBe("/fresh/hello?q=1");
  });

  it("admits a valid token and refuses a missing, tampered or foreign one", async () => {
    const token = await keys.token();
    const ok = await get("/pets/v1/42", bearer(token));
    expect(ok.status).toBe(200);
    const echoed = (await ok.json()) as { url: string; headers: Record<string, string> };
    expect(echoed.url).toBe("/prod/42");
    // The credential stays at the gateway.
    expect(echoed.headers.authorization).toBeUndefined();
    // The second call is answered from the verified-token cache: same outcome.
    expect((await get("/pets/42", bearer(token))).status).toBe(200);

    const none = await get("/pets/v1/42");
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toBe("application/problem+json");
    expect(await none.json()).toMatchObject({ status: 401, code: "missing_credentials" });

    const [h, p, sig] = token.split(".");
    const tampered = `${h}.${p}.${sig.slice(0, -4)}${sig.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    const bad = await get("/pets/v1/42", bearer(tampered));
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');

    const foreign = await TestKeys.create("key-1");
    expect((await get("/pets/v1/42", bearer(await foreign.token()))).status).toBe(401);
    expect((await get("/pets/v1/42", bearer(await keys.token({ aud: `${AUDIENCE}-other` })))).status).toBe(401);
    expect((await get("/pets/v1/42", bearer(TestKeys.unsigned()))).status).toBe(401);
    expect((await get("/pets/v1/42", bearer(await keys.hs256WithPublicKey()))).status).toBe(401);
  });

  it("answers CORS preflights itself and adds CORS headers to refusals, and sends sandbox keys to the sandbox", async () => {
    const preflight = await fetch(`${base}/pets/v1/1`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, POST");
    const refused = await get("/pets/v1/1", { origin: "https://app.example.com" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect((await get("/pets/v1/1", { origin: "https://evil.example.com" })).headers.get("access-control-allow-origin")).toBeNull();

    const sandbox = await get("/pets/v1/9", { apikey: SANDBOX_API_KEY });
    expect(sandbox.status).toBe(200);
    expect(((await sandbox.json()) as { url: string }).url).toBe("/sandbox/9");
    // /tight has no sandbox upstream.
    expect(await (await get("/tight/v1/x", bearer(await keys.token({ keytype: "sandbox" })))).json()).toMatchObject({
      code: "sandbox_not_available",
    });
  });

  it("never lets a connection's remembered token stand for another, an expired or a revoked one", async () => {
    const conn = oneConnection();
    try {
      const token = await keys.token({ jti: "jti-kept" });
      expect((await conn.call("/pets/v1/1", bearer(token))).status).toBe(200);
      expect((await conn.call("/pets/v1/1", bearer(token))).status).toBe(200);
      // Another token on the same connection is checked on its own: tampered, foreign, other audience.
      const [h, p, sig] = token.split(".");
      const tampered = `${h}.${p}.${sig.slice(0, -4)}${sig.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
      expect((await conn.call("/pets/v1/1", bearer(tampered))).status).toBe(401);
      expect((await conn.call("/pets/v1/1", bearer(`${token}x`))).status).toBe(401);
      expect((await conn.call("/pets/v1/1", bearer(token.slice(0, -1)))).status).toBe(401);
      expect((await conn.call("/pets/v1/1", bearer(await (await TestKeys.create("key-1")).token()))).status).toBe(401);
      // Another valid token takes over the connection's memory: its own application and key type.
      const stranger = await conn.call("/pets/v1/1", bearer(await keys.token({ sub: "app_stranger" })));
      expect(JSON.parse(stranger.body)).toMatchObject({ code: "subscription_required" });
      expect((await conn.call("/tight/v1/x", bearer(await keys.token({ keytype: "sandbox" })))).body).toContain("sandbox_not_available");
      expect((await conn.call("/pets/v1/1", bearer(token))).status).toBe(200);
      // An API key on the same connection is its own credential.
      expect((await conn.call("/pets/v1/1", { apikey: "mrd_unknown" })).status).toBe(401);
      expect(conn.sockets.size).toBe(1);

      // A token that expires: refused on the same connection once its exp has passed.
      const short = await keys.token({ expiresIn: "2s" });
      expect((await conn.call("/pets/v1/1", bearer(short))).status).toBe(200);
      await within(4_000, async () => JSON.parse((await conn.call("/pets/v1/1", bearer(short))).body).code === "token_expired");

      // Revoked: refused within 2 s on the connection that used it, without a reload.
      expect((await conn.call("/pets/v1/1", bearer(token))).status).toBe(200);
      const pid = (await showInfo(driver.adminSocket)).Pid;
      const next = snapshot({ revokedTokenIds: [{ jti: "jti-kept", expiresAt: new Date(Date.now() + 3_600_000).toISOString() }] });
      cp.publish(next);
      const ms = await within(2_000, async () => (await conn.call("/pets/v1/1", bearer(token))).status === 401);
      expect(ms).toBeLessThan(2_000);
      expect(JSON.parse((await conn.call("/pets/v1/1", bearer(token))).body)).toMatchObject({ code: "token_revoked" });
      expect((await get("/pets/v1/1", bearer(token))).status).toBe(401);
      expect((await showInfo(driver.adminSocket)).Pid).toBe(pid);
      expect(conn.sockets.size).toBe(1);
      await waitFor(() => agent.appliedVersion() === next.version);
    } finally {
      conn.close();
    }
  });

  it("refuses an application without a subscription with 403", async () => {
    const res = await get("/pets/v1/42", bearer(await keys.token({ sub: "app_stranger" })));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "subscription_required" });
    const blocked = await get("/pets/v1/42", bearer(await keys.token({ sub: "app_blocked" })));
    expect(await blocked.json()).toMatchObject({ code: "subscription_blocked" });
  });

  it("admits an API key, and refuses it within 2 seconds of its revocation without a reload", async () => {
    expect((await get("/pets/v1/1", { apikey: API_KEY })).status).toBe(200);
    expect((await get("/pets/v1/1", { "x-api-key": "mrd_unknown" })).status).toBe(401);
    const pid = (await showInfo(driver.adminSocket)).Pid;
    const next = snapshot();
    next.apiKeys = next.apiKeys.filter((k) => k.applicationId !== "app_1" || k.keyType !== "production");
    cp.publish(next);
    const ms = await within(2_000, async () => (await get("/pets/v1/1", { apikey: API_KEY })).status === 401);
    expect(ms).toBeLessThan(2_000);
    // A runtime map update: the same HAProxy worker serves.
    expect((await showInfo(driver.adminSocket)).Pid).toBe(pid);
    await waitFor(() => agent.appliedVersion() === next.version);
  });

  it("answers 429 with Retry-After past the tier's limit", async () => {
    const token = await keys.token();
    // Bronze: 2 requests a minute for app_1 on /tight.
    expect((await get("/tight/v1/a", bearer(token))).status).toBe(200);
    expect((await get("/tight/v1/b", bearer(token))).status).toBe(200);
    const limited = await get("/tight/v1/c", bearer(token));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(await limited.json()).toMatchObject({ code: "rate_limited" });
  });

  it("keeps the old configuration serving when HAProxy refuses a new one, and reports why", async () => {
    const before = agent.appliedVersion();
    const token = await keys.token();
    cp.publish(snapshot({}, "bad-1"));
    await waitFor(() => agent.lastError()?.version === "bad-1", 10_000);
    expect(agent.lastError()?.message).toMatch(/HAProxy refused the configuration/);
    expect(agent.appliedVersion()).toBe(before);
    expect((await get("/pets/v1/7", bearer(token))).status).toBe(200);
    await waitFor(() => cp.heartbeats.some((h) => h.lastError?.version === "bad-1"), 5_000);
    // The next good snapshot applies and clears the error.
    cp.publish(snapshot());
    await waitFor(() => agent.lastError() === null && agent.appliedVersion() === String(version), 10_000);
  });

  it("ships analytics from HAProxy's log as Meridian events", async () => {
    const token = await keys.token();
    expect((await get("/pets/v1/analytics-1", bearer(token))).status).toBe(200);
    await agent.flushEvents();
    await waitFor(() => cp.events.some((e) => e.path === "/pets/v1/analytics-1"), 5_000);
    const event = cp.events.find((e) => e.path === "/pets/v1/analytics-1")!;
    expect(event).toMatchObject({
      apiId: "api_pets",
      operation: "GET /{id}",
      applicationId: "app_1",
      keyType: "production",
      method: "GET",
      status: 200,
      environment: "test",
      instanceId: "haproxy-test",
      region: "local",
    });
    expect(event.upstreamLatencyMs).not.toBeNull();
    // The whole path, however long.
    const long = `/pets/v1/${"a".repeat(1500)}`;
    expect((await get(long, bearer(token))).status).toBe(200);
    await agent.flushEvents();
    await waitFor(() => cp.events.some((e) => e.path === long), 5_000);
    const refused = cp.events.find((e) => e.status === 429);
    expect(refused).toMatchObject({ apiId: "api_tight", errorCode: "rate_limited" });
  });

  it("keeps serving while the control plane is away, and delivers the events once after", async () => {
    const port = cp.port;
    await cp.stop();
    const token = await keys.token();
    for (let i = 0; i < 5; i++) expect((await get(`/pets/v1/away-${i}`, bearer(token))).status).toBe(200);
    await agent.flushEvents();
    await new Promise((r) => setTimeout(r, 500));
    expect(cp.events.filter((e) => e.path.startsWith("/pets/v1/away-"))).toHaveLength(0);
    await cp.start(port);
    await waitFor(() => cp.events.filter((e) => e.path.startsWith("/pets/v1/away-")).length >= 5, 40_000);
    await new Promise((r) => setTimeout(r, 500));
    const away = cp.events.filter((e) => e.path.startsWith("/pets/v1/away-"));
    expect(away.map((e) => e.path).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `/pets/v1/away-${i}`));
  }, 60_000);
});
