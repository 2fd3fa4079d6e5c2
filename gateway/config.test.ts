import os from "node:os";
import { describe, expect, it } from "vitest";
import { loadConfig, trustedProxyList } from "./config";

describe("loadConfig", () => {
  const env = {
    MERIDIAN_GATEWAY_ENVIRONMENT: "default",
    MERIDIAN_CONTROL_PLANE_URL: "http://localhost:3000/",
    MERIDIAN_GATEWAY_TOKEN: "t",
  };

  it("reads environment variables, with defaults", () => {
    const c = loadConfig([], env);
    expect(c).toMatchObject({
      environment: "default",
      port: 8280,
      controlPlaneUrl: "http://localhost:3000",
      cacheDir: ".data/gateway",
      region: null,
    });
    expect(c.instanceId).toMatch(/-8280$/);
    expect(c.redisUrl).toBeUndefined();
    expect(c.workers).toBe(1);
  });

  it("reads the number of worker processes, auto meaning one per CPU", () => {
    expect(loadConfig(["--workers", "2"], env).workers).toBe(2);
    expect(loadConfig([], { ...env, MERIDIAN_GATEWAY_WORKERS: "auto" }).workers).toBe(os.availableParallelism());
    expect(() => loadConfig(["--workers", "0"], env)).toThrow(/workers/);
    expect(() => loadConfig(["--workers", "many"], env)).toThrow(/workers/);
  });

  it("prefers flags", () => {
    const c = loadConfig(
      ["--environment", "eu", "--port", "9000", "--redis-url", "redis://r:6379", "--instance-id", "gw-1", "--region", "eu-west-1"],
      { ...env, REDIS_URL: "redis://other" },
    );
    expect(c).toMatchObject({ environment: "eu", port: 9000, redisUrl: "redis://r:6379", instanceId: "gw-1", region: "eu-west-1" });
  });

  it("explains what is missing", () => {
    expect(() => loadConfig([], {})).toThrow(/environment/);
    expect(() => loadConfig(["--bogus"], env)).toThrow();
  });

  it("reads the client timeouts and the trusted front proxies", () => {
    const c = loadConfig(["--trusted-proxies", "10.0.0.0/8, 192.0.2.7,2001:db8::/32"], {
      ...env,
      MERIDIAN_GATEWAY_HEAD_TIMEOUT_MS: "5000",
      MERIDIAN_GATEWAY_REQUEST_TIMEOUT_MS: "9000",
    });
    expect(c).toMatchObject({ headTimeoutMs: 5000, requestTimeoutMs: 9000, trustedProxies: ["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"] });
    expect(loadConfig([], env)).toMatchObject({ headTimeoutMs: 60_000, requestTimeoutMs: 300_000, trustedProxies: [] });
    const list = trustedProxyList(c.trustedProxies)!;
    expect(list.check("10.20.30.40", "ipv4")).toBe(true);
    expect(list.check("192.0.2.7", "ipv4")).toBe(true);
    expect(list.check("192.0.2.8", "ipv4")).toBe(false);
    expect(list.check("2001:db8::1", "ipv6")).toBe(true);
    expect(trustedProxyList([])).toBeNull();
    for (const bad of ["10.0.0.0/33", "example.com", "10.0.0.1/8/1", "::1/129"])
      expect(() => loadConfig(["--trusted-proxies", bad], env)).toThrow(/trusted-proxies/);
  });
});
