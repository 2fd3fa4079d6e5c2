import { describe, expect, it } from "vitest";
import { readDashboardState, writeDashboardState } from "./dashboard-url";

describe("the dashboard's URL", () => {
  it("round-trips the range and every filter", () => {
    const state = {
      range: { preset: "7d" as const },
      filters: { apiId: "api_1", applicationId: "app_2", environment: "prod", region: "" },
    };
    const params = writeDashboardState(state);
    expect(params.toString()).toBe("range=7d&api=api_1&application=app_2&environment=prod&region=");
    expect(readDashboardState(params)).toEqual(state);
  });

  it("leaves the defaults out and reads an empty URL as the last 24 hours, unfiltered", () => {
    expect(writeDashboardState({ range: { preset: "24h" }, filters: {} }).toString()).toBe("");
    expect(readDashboardState(new URLSearchParams())).toEqual({ range: { preset: "24h" }, filters: {} });
  });

  it("keeps a custom range, and falls back to the default for a broken one", () => {
    const custom = { preset: "custom" as const, from: "2026-12-01T00:00:00.000Z", to: "2026-12-02T00:00:00.000Z" };
    expect(readDashboardState(writeDashboardState({ range: custom, filters: {} })).range).toEqual(custom);
    expect(readDashboardState(new URLSearchParams("range=custom&from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z")).range).toEqual({
      preset: "24h",
    });
    expect(readDashboardState(new URLSearchParams("range=5y&api=")).range).toEqual({ preset: "24h" });
    expect(readDashboardState(new URLSearchParams("range=5y&api=")).filters).toEqual({});
  });
});
