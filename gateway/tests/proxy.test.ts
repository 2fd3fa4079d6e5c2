import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "../gateway";
import { API_KEY, startStack, testConfig, waitFor, type Stack } from "./support/harness";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const call = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  fetch(`${stack.gateway.url}${path}`, { ...init, headers });

describe("rate limits", () => {
  it("answers 429 over the subscription tier, with Retry-After and RateLimit-* headers", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call("/tight/v1/x", { apikey: API_KEY })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const res = await call("/tight/v1/x", { apikey: API_KEY });
    expect(res.status).toBe(429);
    expect(res.headers.get("ratelimit-limit")).toBe("2");
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(29);
    expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    expect((await res.json()).code).toBe("rate_limited");
  });

  it("applies an operation limit to every caller", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call("/pets/v1/limited/op", { apikey: API_KEY })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const metrics = await (await call("/__meridian/metrics")).text();
    expect(metrics).toMatch(/meridian_gateway_rate_limited_total\{api="api_pets"\} 1/);
  });
});

describe("monthly quotas", () => {
  it("refuses the request past the tier's monthly quota until the month ends", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await call("/metered/v1/x", { apikey: API_KEY });
      statuses.push(res.status);
      // The quota binds once it has less left than the bucket: from the first request here.
      expect(res.headers.get("ratelimit-limit")).toBe("3");
      expect(res.headers.get("ratelimit-remaining")).toBe(String(2 - i));
    }
    const refused = await call("/metered/v1/x", { apikey: API_KEY });
    expect([...statuses, refused.status]).toEqual([200, 200, 200, 429]);
    expect((await refused.json()).code).toBe("rate_limited");
    const now = new Date();
    const toMonthEnd = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - now.getTime()) / 1000;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(toMonthEnd - 60);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(Math.ceil(toMonthEnd) + 1);
    expect(refused.headers.get("ratelimit-reset")).toBe(refused.headers.get("retry-after"));
    // Other APIs of the same application are not affected.
    expect((await call("/pets/v1/7", { apikey: API_KEY })).status).toBe(200);
  });

  it("keeps the count across a restart", async () => {
    const again = await startGateway(testConfig(stack.cp, stack.cacheDir, { instanceId: "gw-quota" }));
    try {
      await waitFor(() => again.appliedVersion() === "1");
      const first = [];
      for (let i = 0; i < 2; i++) first.push((await fetch(`${again.url}/metered/v1/x`, { headers: { apikey: API_KEY } })).status);
      expect(first).toEqual([200, 200]);
    } finally {
      await again.stop();
    }
    const restarted = await startGateway(testConfig(stack.cp, stack.cacheDir, { instanceId: "gw-quota" }));
    try {
      await waitFor(() => restarted.appliedVersion() === "1");
      const after = [];
      for (let i = 0; i < 2; i++) after.push((await fetch(`${restarted.url}/metered/v1/x`, { headers: { apikey: API_KEY } })).status);
      expect(after).toEqual([200, 429]);
    } finally {
      await restarted.stop();
    }
  });
});

describe("proxying", () => {
  it("answers 502 when the upstream is unreachable", async () => {
    const res = await call("/down/v1/x");
    expect(res.status).toBe(502);
    expect((await res.json()).code).toBe("upstream_unreachable");
  });

  it("answers 504 when the upstream is too slow", async () => {
    const started = Date.now();
    const res = await call("/pets/v1/slow", { apikey: API_KEY });
    expect(res.status).toBe(504);
    expect((await res.json()).code).toBe("upstream_timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("streams a response as it comes", async () => {
    const res = await call("/pets/v1/stream", { apikey: API_KEY });
    const reader = res.body!.getReader();
    const started = Date.now();
    const first = await reader.read();
    const firstAt = Date.now() - started;
    let text = new TextDecoder().decode(first.value);
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    expect(firstAt).toBeLessThan(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(text).toBe([0, 1, 2, 3, 4].map((n) => `chunk ${n}\n`).join(""));
  });

  it("streams a request body through", async () => {
    const body = "x".repeat(1 << 20);
    const res = await call("/pets/v1/upload", { apikey: API_KEY, "content-type": "text/plain" }, { method: "POST", body });
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBe(body.length);
  });
});

describe("CORS", () => {
  it("answers a preflight without credentials", async () => {
    const res = await call(
      "/pets/v1/7",
      { origin: "https://app.example.com", "access-control-request-method": "GET" },
      { method: "OPTIONS" },
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST");
  });

  it("adds CORS headers to responses, errors included", async () => {
    const ok = await call("/pets/v1/7", { origin: "https://app.example.com", apikey: API_KEY });
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const refused = await call("/pets/v1/7", { origin: "https://app.example.com" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const other = await call("/pets/v1/7", { origin: "https://evil.example", apikey: API_KEY });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("operations endpoints", () => {
  it("serves health, readiness and metrics", async () => {
    expect((await call("/__meridian/healthz")).status).toBe(200);
    expect((await call("/healthz")).status).toBe(200);
    const ready = await call("/readyz");
    expect(await ready.json()).toEqual({ status: "ready", version: "1" });
    const metrics = await (await call("/metrics")).text();
    expect(metrics).toContain('meridian_gateway_snapshot_info{version="1"} 1');
    expect(metrics).toContain("meridian_gateway_request_duration_seconds_bucket");
    expect(metrics).toContain("meridian_gateway_upstream_duration_seconds_bucket");
    expect(metrics).toMatch(/meridian_gateway_requests_total\{api="api_pets",status="200"\}/);
  });

  it("sends heartbeats with the applied version", async () => {
    expect(stack.cp.heartbeats[0]).toMatchObject({ instanceId: "gw-test", region: "local" });
  });
});
