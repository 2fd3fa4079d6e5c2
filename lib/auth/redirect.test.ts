import { describe, expect, it } from "vitest";
import { answeredOrigins, authRedirect, requestOrigin } from "./redirect";

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] ?? null });

describe("answeredOrigins", () => {
  it("adds the other loopback names of a loopback public URL, on its port and the listening port", () => {
    const origins = answeredOrigins(["http://localhost:3000"], [], 3000);
    expect([...origins].sort()).toEqual(["http://127.0.0.1:3000", "http://[::1]:3000", "http://localhost:3000"]);
  });
  it("keeps a public URL alone, plus the extra origins", () => {
    expect([...answeredOrigins(["https://meridian.example.com/", undefined], ["http://10.0.0.5:3000", "not a url"], 3000)]).toEqual([
      "https://meridian.example.com",
      "http://10.0.0.5:3000",
    ]);
  });
});

describe("requestOrigin", () => {
  it("reads Host, or the proxy's forwarded host and protocol", () => {
    expect(requestOrigin(headers({ host: "127.0.0.1:3000" }), "http")).toBe("http://127.0.0.1:3000");
    expect(
      requestOrigin(headers({ host: "internal:3000", "x-forwarded-host": "meridian.example.com", "x-forwarded-proto": "https" }), "http"),
    ).toBe("https://meridian.example.com");
    expect(requestOrigin(headers({}), "http")).toBeNull();
    expect(requestOrigin(headers({ host: "evil.example/x@y" }), "http")).toBe("http://evil.example");
  });
});

describe("authRedirect", () => {
  const answered = answeredOrigins(["http://localhost:3000"], [], 3000);
  const at = (origin: string | null) => ({ baseUrl: "http://localhost:3000", origin, answered });

  it("keeps a path on the origin in use: signing out at 127.0.0.1 stays at 127.0.0.1", () => {
    expect(authRedirect("/signin", at("http://127.0.0.1:3000"))).toBe("http://127.0.0.1:3000/signin");
    expect(authRedirect("/signin", at("http://localhost:3000"))).toBe("http://localhost:3000/signin");
  });

  it("keeps an absolute URL on an origin the server answers for", () => {
    expect(authRedirect("http://127.0.0.1:3000/apis?q=1", at("http://127.0.0.1:3000"))).toBe("http://127.0.0.1:3000/apis?q=1");
  });

  it.each(["https://evil.example/signin", "//evil.example/signin", "/\\evil.example", "javascript:alert(1)", "http://localhost:3001/"])(
    "never sends anyone to %s",
    (url) => {
      expect(authRedirect(url, at("http://127.0.0.1:3000"))).toBe("http://127.0.0.1:3000");
    },
  );

  it("falls back to the configured base URL for an origin it does not answer for", () => {
    expect(authRedirect("/signin", at("http://evil.example"))).toBe("http://localhost:3000/signin");
    expect(authRedirect("/signin", at(null))).toBe("http://localhost:3000/signin");
  });
});
