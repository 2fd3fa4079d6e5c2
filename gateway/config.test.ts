import os from "node:os";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

describe("loadConfig", () => {
  const env = { MERIDIAN_GATEWAY_ENVIRONMENT: "default", MERIDIAN_CONTROL_PLANE_URL: "http://localhost:3000/", MERIDIAN_GATEWAY_TOKEN: "t" };

  it("reads environment variables, with defaults", () => {
    const c = loadConfig([], env);
    expect(c).toMatchObject({ environment: "default", port: 8280, controlPlaneUrl: "http://localhost:3000", cacheDir: ".data/gateway", region: null });
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
    const c = loadConfig(["--environment", "eu", "--port", "9000", "--redis-url", "redis://r:6379", "--instance-id", "gw-1", "--region", "eu-west-1"], { ...env, REDIS_URL: "redis://other" });
    expect(c).toMatchObject({ environment: "eu", port: 9000, redisUrl: "redis://r:6379", instanceId: "gw-1", region: "eu-west-1" });
  });

  it("explains what is missing", () => {
    expect(() => loadConfig([], {})).toThrow(/environment/);
    expect(() => loadConfig(["--bogus"], env)).toThrow();
  });
});
