import { describe, expect, it } from "vitest";
import { urlBreaks } from "./url-breaks";

describe("urlBreaks", () => {
  it("breaks before slashes, query marks and host dots, never inside the scheme", () => {
    expect(urlBreaks("https://gw.eu-west-1.example.com/payments-api/v1?x=1&y=2")).toEqual([
      "https://gw",
      ".eu-west-1",
      ".example",
      ".com",
      "/payments-api",
      "/v1",
      "?x=1",
      "&y=2",
    ]);
    expect(urlBreaks("http://localhost:4100/traffic-abc/v1")).toEqual(["http://localhost:4100", "/traffic-abc", "/v1"]);
  });

  it("gives back the whole URL when joined", () => {
    for (const url of ["https://a.b/c/d#e", "/relative/path", "http://127.0.0.1:3000/x"]) expect(urlBreaks(url).join("")).toBe(url);
  });
});
