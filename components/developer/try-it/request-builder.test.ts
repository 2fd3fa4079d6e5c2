import { describe, expect, it } from "vitest";
import { buildCurl, buildUrl, pathParamNames, shellQuote, tokenCurl } from "./request-builder";

describe("try-it request builder", () => {
  it("lists path parameters", () => {
    expect(pathParamNames("/pets/{petId}/toys/{toyId}")).toEqual(["petId", "toyId"]);
    expect(pathParamNames("/pets")).toEqual([]);
  });

  it("fills and encodes path parameters and appends the query", () => {
    expect(buildUrl("http://gw:8280/pets/v1/", "/pets/{id}", { id: "a b/c" }, "?limit=2")).toBe(
      "http://gw:8280/pets/v1/pets/a%20b%2Fc?limit=2",
    );
    expect(buildUrl("http://gw/pets/v1", "/pets", {}, "  ")).toBe("http://gw/pets/v1/pets");
  });

  it("quotes for the shell so that a value cannot break out", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(buildCurl({ method: "POST", url: "http://gw/x", headers: [["Authorization", "Bearer t"]], body: '{"a":"$(rm -rf /)"}' })).toBe(
      `curl -X POST 'http://gw/x' -H 'Authorization: Bearer t' --data '{"a":"$(rm -rf /)"}'`,
    );
    expect(buildCurl({ method: "GET", url: "http://gw/x", headers: [] })).toBe("curl 'http://gw/x'");
  });

  it("writes the client credentials grant", () => {
    expect(tokenCurl("http://m/oauth2/token", "mcl_1", "s3")).toBe(
      "curl -u 'mcl_1:s3' -d grant_type=client_credentials 'http://m/oauth2/token'",
    );
  });
});
