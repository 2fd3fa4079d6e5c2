import { describe, expect, it } from "vitest";
import { parseLogLine } from "./log-reader";

const operations = { api_pets: ["GET /pets/{id}", "POST /pets"] };

describe("HAProxy log lines → analytics events", () => {
  it("reads every member of a proxied request", () => {
    const line = "meridian1|1767225600|042|api_pets|0|app_1|production|GET|200|12|9|612|187|-|/pets/v1/7";
    expect(parseLogLine(line, operations)).toEqual({
      time: "2026-01-01T00:00:00.042Z",
      apiId: "api_pets",
      operation: "GET /pets/{id}",
      applicationId: "app_1",
      keyType: "production",
      method: "GET",
      path: "/pets/v1/7",
      status: 200,
      latencyMs: 12,
      upstreamLatencyMs: 9,
      requestBytes: 612,
      responseBytes: 187,
    });
  });

  it("keeps a path holding the separator, and a syslog header before the prefix", () => {
    const event = parseLogLine(
      "<134>Jan  1 00:00:00 meridian1|1767225600|000|api_pets|1|-|-|POST|429|0|-1|80|200|rate_limited|/pets/a|b\n",
      operations,
    );
    expect(event).toMatchObject({
      path: "/pets/a|b",
      operation: "POST /pets",
      status: 429,
      errorCode: "rate_limited",
      upstreamLatencyMs: null,
    });
    expect(event?.applicationId).toBeNull();
  });

  it("drops the application of a refused token, and leaves out requests that matched no API", () => {
    const refused = parseLogLine(
      "meridian1|1767225600|000|api_pets|0|app_x|production|GET|401|0|-1|80|200|invalid_token|/pets/v1/7",
      operations,
    );
    expect(refused).toMatchObject({ applicationId: null, errorCode: "invalid_token", keyType: "production" });
    expect(parseLogLine("meridian1|1767225600|000|-|-|-|-|GET|404|0|-1|80|200|route_not_found|/nowhere", operations)).toBeNull();
    expect(parseLogLine("something else entirely", operations)).toBeNull();
    expect(parseLogLine("meridian1|1767225600|000|api_pets", operations)).toBeNull();
  });
});
