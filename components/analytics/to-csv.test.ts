import { describe, expect, it } from "vitest";
import { emptyAggregate, toMetrics } from "@/lib/domain/analytics/metrics";
import { analyticsCsv } from "./to-csv";

describe("analyticsCsv", () => {
  it("writes a header, time rows and breakdown rows, quoting what needs it", () => {
    const metrics = { ...toMetrics(emptyAggregate()), requests: 3 };
    const csv = analyticsCsv({
      points: [{ time: "2026-01-01T00:00:00.000Z", ...metrics }],
      breakdowns: {
        apiId: [{ key: "api_1", label: 'Pets, "v1"', ...metrics }],
        applicationId: [{ key: "app_1", label: "=HYPERLINK()", ...metrics }],
      },
    });
    const lines = csv.trim().split("\r\n");
    expect(lines[0].startsWith("dimension,key,label,time,requests,errors,errorRate")).toBe(true);
    expect(lines[1].startsWith("time,,,2026-01-01T00:00:00.000Z,3,0,0")).toBe(true);
    expect(lines[2].startsWith('apiId,api_1,"Pets, ""v1""",,3')).toBe(true);
    expect(lines[3].startsWith("applicationId,app_1,'=HYPERLINK(),,3")).toBe(true);
    expect(lines).toHaveLength(4);
  });

  it("names the filters in force before the figures", () => {
    const metrics = { ...toMetrics(emptyAggregate()), requests: 1 };
    const csv = analyticsCsv({
      filters: [{ name: "apiId", value: "api_1", label: "Pets v1" }],
      points: [{ time: "2026-01-01T00:00:00.000Z", ...metrics }],
      breakdowns: {},
    });
    const lines = csv.trim().split("\r\n");
    expect(lines[1]).toBe(`filter,apiId=api_1,Pets v1,${",".repeat(lines[0].split(",").length - 4)}`);
    expect(lines[2].startsWith("time,,,2026-01-01T00:00:00.000Z,1,")).toBe(true);
  });
});
