import { describe, expect, it } from "vitest";
import { buildUrl, pathParamNames, resolveTryItTarget, tryItHeaders } from "./target";

const BASES = ["http://gw.example:8280/pets/v1", "https://abc.execute-api.eu-west-1.amazonaws.com/prod"];
const OPS = [
  { method: "GET", path: "/pets/{id}" },
  { method: "POST", path: "/pets" },
];
const input = (over: Partial<Parameters<typeof resolveTryItTarget>[2]> = {}) => ({
  base: BASES[0],
  method: "GET",
  path: "/pets/{id}",
  params: { id: "7" },
  query: "",
  ...over,
});

describe("Try it target", () => {
  it("lists path parameters and builds the URL with them encoded", () => {
    expect(pathParamNames("/pets/{petId}/toys/{toyId}")).toEqual(["petId", "toyId"]);
    expect(buildUrl("http://gw:8280/pets/v1/", "/pets/{id}", { id: "a b/c" }, "?limit=2")).toBe(
      "http://gw:8280/pets/v1/pets/a%20b%2Fc?limit=2",
    );
  });

  it("builds the URL of an operation on one of the API's gateways", () => {
    const target = resolveTryItTarget(BASES, OPS, input({ query: "?expand=toys" }));
    expect(target).toMatchObject({ ok: true, method: "GET" });
    expect(target.ok && target.url.toString()).toBe("http://gw.example:8280/pets/v1/pets/7?expand=toys");
    expect(resolveTryItTarget(BASES, OPS, input({ base: BASES[1], method: "post", path: "/pets", params: {} }))).toMatchObject({
      ok: true,
      method: "POST",
    });
  });

  it.each([
    ["a base URL that is not one of the API's gateways", input({ base: "http://169.254.169.254/latest" }), /does not serve the API/],
    ["a look-alike of a gateway URL", input({ base: `${BASES[0]}@evil.example` }), /does not serve the API/],
    ["an operation the API does not have", input({ method: "DELETE" }), /not an operation/],
    ["a path of the caller's making", input({ path: "/../../admin" }), /not an operation/],
    ["a missing path parameter", input({ params: { id: " " } }), /path parameter id/],
  ])("refuses %s", (_, bad, message) => {
    const target = resolveTryItTarget(BASES, OPS, bad);
    expect(target.ok).toBe(false);
    expect(!target.ok && target.message).toMatch(message);
  });

  it.each(["../../../admin", "..", "%2e%2e", "@evil.example", "x?y#z"])("keeps the parameter %s on the gateway, under the API", (id) => {
    const target = resolveTryItTarget(BASES, OPS, input({ params: { id } }));
    expect(target.ok).toBe(true);
    if (target.ok) {
      expect(target.url.origin).toBe("http://gw.example:8280");
      expect(target.url.pathname.startsWith("/pets/v1/")).toBe(true);
    }
  });

  it("keeps a query string from adding a fragment or leaving the gateway", () => {
    const target = resolveTryItTarget(BASES, OPS, input({ query: "a=1#@evil.example/x" }));
    expect(target.ok && target.url.host).toBe("gw.example:8280");
    expect(target.ok && target.url.hash).toBe("");
  });

  it("passes on the credential and the body's type only", () => {
    expect(
      tryItHeaders(
        [
          ["Authorization", "Bearer t"],
          ["X-Api-Key", "k"],
          ["Cookie", "session=1"],
          ["Content-Type", "application/json"],
          ["Host", "internal"],
          ["apikey", "a\r\nInjected: 1"],
        ],
        "x-api-key",
      ),
    ).toEqual([
      ["Authorization", "Bearer t"],
      ["X-Api-Key", "k"],
      ["Content-Type", "application/json"],
    ]);
  });
});
