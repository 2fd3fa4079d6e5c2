import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import type { EventSink } from "@/lib/domain/gateway/sync/event-shipper";
import { eventFieldsJson, eventGroupJson } from "@/lib/domain/gateway/sync/event-json";
import { JwtVerifier } from "../auth/jwt-verifier";
import { Http1Server } from "../http1/server";
import { LocalRateLimiter, type LimitDecision, type RateLimiter } from "../limits/rate-limiter";
import { gatewayLog } from "../log";
import { GatewayMetrics } from "../observability/metrics";
import { UpstreamProxy } from "../proxy/upstream-proxy";
import { compileSnapshot, type RuntimeSnapshot } from "../runtime-snapshot";
import { startBackend } from "../tests/support/backend";
import { testSnapshot } from "../tests/support/harness";
import { TestKeys } from "../tests/support/keys";
import { createRequestHandler } from "./request-handler";

/**
 * The request pipeline on its own: runs synchronously while nothing has to wait, continues after
 * a step that waits (a token seen for the first time, a limiter that answers later), and answers
 * 500 when a step throws, either way.
 */

interface Recorded {
  group: Record<string, unknown>;
  timeMs: number;
  fields: unknown[];
}

class Events implements EventSink {
  readonly calls: Recorded[] = [];
  readonly groups = new Set<string>();
  recordCall(group: string, timeMs: number, fields: string): void {
    this.groups.add(group);
    this.calls.push({ group: JSON.parse(group), timeMs, fields: JSON.parse(`[${fields}]`) });
  }
  recordRequest(group: string, timeMs: number, ...call: Parameters<typeof eventFieldsJson>): void {
    this.recordCall(group, timeMs, eventFieldsJson(...call));
  }
}

/** A limiter whose answer the test picks per request. */
class SwitchLimiter implements RateLimiter {
  mode: "local" | "later" | "throw" | "reject" = "local";
  private readonly local = new LocalRateLimiter();
  consume(...args: Parameters<RateLimiter["consume"]>): LimitDecision | Promise<LimitDecision> {
    if (this.mode === "throw") throw new Error("limiter broke");
    if (this.mode === "reject") return Promise.reject(new Error("limiter broke later"));
    const decision = this.local.consume(...args);
    return this.mode === "later" ? new Promise((resolve) => setTimeout(() => resolve(decision), 5)) : decision;
  }
  close(): Promise<void> {
    return this.local.close();
  }
}

let server: Http1Server;
let base: string;
let token: string;
let backend: Awaited<ReturnType<typeof startBackend>>;
const events = new Events();
const limiter = new SwitchLimiter();
const errors: unknown[] = [];

beforeAll(async () => {
  backend = await startBackend();
  const keys = await TestKeys.create();
  token = await keys.token({ sub: "app_1" });
  const runtime: RuntimeSnapshot = await compileSnapshot(testSnapshot(backend.url, keys));
  const log = Object.assign(Object.create(gatewayLog), { error: (...args: unknown[]) => errors.push(args) });
  const handler = createRequestHandler({
    runtime: () => runtime,
    verifier: new JwtVerifier(100),
    limiter,
    proxy: new UpstreamProxy({ connectTimeoutMs: 1_000, headersTimeoutMs: 1_000, bodyTimeoutMs: 1_000 }),
    metrics: new GatewayMetrics(),
    events,
    ops: { appliedVersion: () => "1", draining: () => false, metrics: async () => ({ text: "", contentType: "text/plain" }) },
    log,
    environment: "test",
    instanceId: "gw-unit",
    region: "local",
  });
  server = new Http1Server(handler);
  await server.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${server.address().port}`;
});

afterAll(async () => {
  await server.close();
  await backend.close();
  await limiter.close();
});

const call = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe("the request pipeline", () => {
  it("proxies with a token seen for the first time (checked asynchronously) and then from the cache", async () => {
    const first = await call("/pets/v1/1");
    const second = await call("/pets/v1/2");
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get("ratelimit-limit")).not.toBeNull();
  });

  it("continues after a limiter that answers later", async () => {
    limiter.mode = "later";
    try {
      const res = await call("/pets/v1/3");
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-remaining")).not.toBeNull();
    } finally {
      limiter.mode = "local";
    }
  });

  it.each(["throw", "reject"] as const)("answers 500 with a problem document when a step fails (%s) and logs it", async (mode) => {
    limiter.mode = mode;
    const before = errors.length;
    try {
      const res = await call("/pets/v1/4");
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ code: "gateway_error" });
    } finally {
      limiter.mode = "local";
    }
    expect(errors.length).toBe(before + 1);
    // The connection is still usable.
    expect((await call("/pets/v1/5")).status).toBe(200);
  });

  it("records one event per call, its group shared by calls of one operation and caller", async () => {
    const start = events.calls.length;
    await call("/pets/v1/6");
    await call("/pets/v1/7");
    await fetch(`${base}/pets/v1/8`);
    await new Promise((r) => setTimeout(r, 20));
    const calls = events.calls.slice(start);
    expect(calls.map((c) => c.fields.slice(0, 2))).toEqual([
      ["/pets/v1/6", 200],
      ["/pets/v1/7", 200],
      ["/pets/v1/8", 401],
    ]);
    expect(calls[0].group).toEqual({
      environment: "test",
      instanceId: "gw-unit",
      region: "local",
      apiId: "api_pets",
      operation: "GET /{id}",
      applicationId: "app_1",
      keyType: "production",
      method: "GET",
    });
    expect(calls[2].group).toMatchObject({ applicationId: null, keyType: null });
    expect(calls[2].fields[6]).toBe("missing_credentials");
    expect(JSON.stringify(calls[1].group)).toBe(eventGroupJson(calls[0].group as unknown as AnalyticsEvent));
    expect(Math.abs(calls[0].timeMs - Date.now())).toBeLessThan(5_000);
  });
});
