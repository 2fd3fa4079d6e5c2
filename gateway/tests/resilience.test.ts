import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type RunningGateway } from "../gateway";
import { startStack, testConfig, testSnapshot, waitFor, type Stack } from "./support/harness";

/** One story, in order: the control plane misbehaves, goes away, the gateway restarts, it comes back. */
let stack: Stack;
let gateway: RunningGateway;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  gateway = stack.gateway;
  token = await stack.keys.token();
});
afterAll(async () => {
  if (gateway !== stack.gateway) await gateway.stop();
  await stack.close();
});

const get = (path: string) => fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const spoolDir = () => path.join(stack.cacheDir, "test", "events", "gw-test");
const spooled = () => fs.readdirSync(spoolDir()).filter((f) => f.endsWith(".json")).length;

describe("resilience", () => {
  it("delivers analytics events", async () => {
    for (let i = 0; i < 5; i++) expect((await get(`/pets/v1/a-${i}`)).status).toBe(200);
    await waitFor(() => stack.cp.events.filter((e) => e.path.startsWith("/pets/v1/a-")).length === 5);
    const event = stack.cp.events.find((e) => e.path === "/pets/v1/a-0")!;
    expect(event).toMatchObject({
      apiId: "api_pets",
      operation: "GET /{id}",
      applicationId: "app_1",
      keyType: "production",
      status: 200,
      environment: "test",
      instanceId: "gw-test",
    });
    expect(event.upstreamLatencyMs).toBeGreaterThan(0);
    await waitFor(() => spooled() === 0);
  });

  it("takes a change as a delta from the version it holds, and serves it", async () => {
    const served = stack.cp.deltasServed;
    const next = testSnapshot(stack.backendUrl, stack.keys, "delta-2");
    next.apis = next.apis.map((a) => (a.id === "api_down" ? { ...a, context: "/moved" } : a));
    stack.cp.publish(next);
    await waitFor(() => stack.gateway.appliedVersion() === "delta-2");
    expect(stack.cp.deltasServed).toBe(served + 1);
    // The moved API answers at its new context (its upstream is down: 502), the old one is gone (404).
    expect((await fetch(`${stack.gateway.url}/moved/v1/x`)).status).toBe(502);
    expect((await fetch(`${stack.gateway.url}/down/v1/x`)).status).toBe(404);
    // Back to version 1, which the later cases expect.
    stack.cp.publish(testSnapshot(stack.backendUrl, stack.keys, "1"));
    await waitFor(() => stack.gateway.appliedVersion() === "1");
  });

  it("ignores a malformed snapshot and keeps serving the good one", async () => {
    const before = stack.cp.snapshotRequests;
    stack.cp.publishRaw("bad-1", "{ not json");
    await waitFor(() => stack.cp.snapshotRequests > before);
    stack.cp.publishRaw("bad-2", JSON.stringify({ ...testSnapshot(stack.backendUrl, stack.keys, "bad-2"), apis: [{ id: "x" }] }));
    await waitFor(async () =>
      (await (await fetch(`${gateway.url}/metrics`)).text()).includes("meridian_gateway_snapshots_rejected_total 2"),
    );
    expect(gateway.appliedVersion()).toBe("1");
    expect((await get("/pets/v1/7")).status).toBe(200);
    const cached = JSON.parse(fs.readFileSync(path.join(stack.cacheDir, "test", "snapshot.json"), "utf8"));
    expect(cached.version).toBe("1");
  });

  it("keeps serving while the control plane is down, and after a restart from the disk cache", async () => {
    await stack.cp.stop();
    for (let i = 0; i < 5; i++) expect((await get(`/pets/v1/b-${i}`)).status).toBe(200);
    await gateway.stop();
    expect(spooled()).toBeGreaterThan(0);

    gateway = await startGateway(testConfig(stack.cp, stack.cacheDir));
    expect(gateway.appliedVersion()).toBe("1");
    expect((await (await fetch(`${gateway.url}/readyz`)).json()).status).toBe("ready");
    for (let i = 0; i < 5; i++) expect((await get(`/pets/v1/c-${i}`)).status).toBe(200);
  });

  it("sends the buffered events once the control plane is back: none lost, none twice", async () => {
    stack.cp.loseAnswers = 1;
    await stack.cp.start();
    await waitFor(() => spooled() === 0, 15_000);
    const paths = stack.cp.events.map((e) => e.path).filter((p) => /^\/pets\/v1\/[abc]-/.test(p));
    expect(paths.sort()).toEqual(["a", "b", "c"].flatMap((l) => [0, 1, 2, 3, 4].map((i) => `/pets/v1/${l}-${i}`)).sort());
    const ids = stack.cp.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The lost answer made the gateway send one batch twice; its id made the second a no-op.
    expect(stack.cp.deliveries.length).toBe(new Set(stack.cp.deliveries).size + 1);
  });

  it("drains requests in flight on stop", async () => {
    const inFlight = get("/pets/v1/stream");
    await new Promise((r) => setTimeout(r, 50));
    const stopped = gateway.stop();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect((await res.text()).split("\n").filter(Boolean)).toHaveLength(5);
    await stopped;
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });
});
