import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertSameOrigin } from "./same-origin";

function request(method: string, headers: Record<string, string>): Request {
  return new Request("http://meridian.test/api/v1/settings", { method, headers: { host: "meridian.test", ...headers } });
}

function refusal(req: Request): string | undefined {
  try {
    assertSameOrigin(req);
    return undefined;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.code;
  }
}

describe("session-cookie requests that change something", () => {
  it.each([
    ["Origin of this host", { origin: "http://meridian.test" }],
    ["Sec-Fetch-Site: same-origin", { "sec-fetch-site": "same-origin" }],
    ["both", { origin: "http://meridian.test", "sec-fetch-site": "same-origin" }],
    ["Origin of the forwarded host", { origin: "https://api.example.com", "x-forwarded-host": "api.example.com" }],
  ])("pass with %s", (_label, headers) => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) expect(refusal(request(method, headers))).toBeUndefined();
  });

  it.each([
    ["neither Origin nor Sec-Fetch-Site", {}],
    ["Sec-Fetch-Site: none (typed or bookmarked, never a page of ours)", { "sec-fetch-site": "none" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site", origin: "http://meridian.test" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["a foreign Origin with Sec-Fetch-Site: same-origin", { origin: "https://evil.example", "sec-fetch-site": "same-origin" }],
    ["Origin: null", { origin: "null" }],
  ])("are refused with %s", (_label, headers) => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) expect(refusal(request(method, headers))).toBe("cross_site_request");
  });

  it("does not apply to reads", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(refusal(request(method, {}))).toBeUndefined();
  });
});
