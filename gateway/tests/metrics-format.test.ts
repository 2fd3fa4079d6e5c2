import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, startStack, type Stack } from "./support/harness";
import { promtoolProblems } from "./support/promtool";

/** What Prometheus users run against an exposition before scraping it: `promtool check metrics`. */
describe("gateway metrics exposition", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it("passes promtool check metrics with every kind of series present", async () => {
    // Served, rate-limited and refused requests, so that counters, histograms and gauges all carry series.
    for (let i = 0; i < 3; i++) await (await fetch(`${stack.gateway.url}/tight/v1/x`, { headers: { apikey: API_KEY } })).arrayBuffer();
    await (await fetch(`${stack.gateway.url}/pets/v1/`)).arrayBuffer();
    const res = await fetch(`${stack.gateway.url}/__meridian/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/meridian_gateway_requests_total\{api="api_tight",status="429"\} 1\n/);
    expect(text).toMatch(/meridian_gateway_auth_failed_total\{/);
    expect(promtoolProblems(text)).toEqual([]);
  });

  it("reports what promtool finds wrong", () => {
    expect(promtoolProblems("# HELP x_total A gauge.\n# TYPE x_total gauge\nx_total 1\n").join("\n")).toMatch(/x_total/);
  });
});
