import { describe, expect, it } from "vitest";
import type { Cors } from "@/lib/domain/gateway/snapshot";
import { isPreflight, preflightHeaders, responseCorsHeaders } from "./cors";

const cors: Cors = {
  enabled: true,
  origins: ["https://app.example.com"],
  methods: ["GET", "POST"],
  headers: ["authorization"],
  credentials: false,
  maxAge: 600,
};

describe("cors", () => {
  it("recognises a preflight", () => {
    expect(isPreflight("OPTIONS", { origin: "https://a", "access-control-request-method": "GET" })).toBe(true);
    expect(isPreflight("OPTIONS", { origin: "https://a" })).toBe(false);
  });

  it("answers a preflight of an allowed origin", () => {
    const h = preflightHeaders(cors, { origin: "https://app.example.com" });
    expect(h["access-control-allow-origin"]).toBe("https://app.example.com");
    expect(h["access-control-allow-methods"]).toBe("GET, POST");
    expect(h["access-control-max-age"]).toBe("600");
  });

  it("gives no CORS headers to other origins", () => {
    expect(preflightHeaders(cors, { origin: "https://evil.example" })["access-control-allow-origin"]).toBeUndefined();
    expect(responseCorsHeaders(cors, "https://evil.example")).toEqual({ vary: "Origin" });
  });

  it("echoes the origin instead of * with credentials", () => {
    const any = { ...cors, origins: ["*"] };
    expect(responseCorsHeaders(any, "https://x")?.["access-control-allow-origin"]).toBe("*");
    expect(responseCorsHeaders({ ...any, credentials: true }, "https://x")?.["access-control-allow-origin"]).toBe("https://x");
  });

  it("does nothing when disabled or without an Origin", () => {
    expect(responseCorsHeaders({ ...cors, enabled: false }, "https://app.example.com")).toBeNull();
    expect(responseCorsHeaders(cors, undefined)).toBeNull();
  });
});
