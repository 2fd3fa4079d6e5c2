import { describe, expect, it } from "vitest";
import { sampleDeploymentInput, sampleSettings, SAMPLE_DEFINITION } from "../sample-input";
import type { DeploymentInput } from "../types";
import { declarativeConfig } from "./declarative";
import { apiTag, stableId } from "./entities";
import { rateLimitConfig, routePath, translateToKong, upstreamOf } from "./translate";

const input = (settings = sampleSettings(), overrides: Partial<DeploymentInput> = {}) =>
  sampleDeploymentInput({}, { revision: { id: "rev_1", number: 1, definition: SAMPLE_DEFINITION, settings }, ...overrides });

/** The sample without its operation limit, which conflicts with limited tiers on Kong. */
const noOpLimits = (extra: Parameters<typeof sampleSettings>[0] = {}) =>
  sampleSettings({ operationPolicies: { "GET /health": { security: "none", rateLimit: null } }, ...extra });

describe("routePath", () => {
  it.each([
    ["/orders", "/base", "~/orders-api/v1/orders$", "/base/orders"],
    ["/orders/{orderId}", "/base", "~/orders-api/v1/orders/(?<orderId>[^/]+)$", '/base/orders/$(uri_captures["orderId"])'],
    ["/a/{x}.json/{y}", "", "~/orders-api/v1/a/(?<x>[^/]+)\\.json/(?<y>[^/]+)$", '/a/$(uri_captures["x"]).json/$(uri_captures["y"])'],
    ["/", "/base", "~/orders-api/v1/$", "/base/"],
  ])("%s under %s", (path, base, regex, upstream) => {
    expect(routePath("/orders-api/v1", path, base)).toEqual({ regex, upstream });
  });

  it("refuses a parameter that cannot name a capture", () => {
    expect(routePath("/x/v1", "/orders/{order-id}", "")).toBeUndefined();
  });
});

describe("upstreamOf", () => {
  it.each([
    ["http://backend:8080/base/", { protocol: "http", host: "backend", port: 8080, path: "/base" }],
    ["https://api.example.com", { protocol: "https", host: "api.example.com", port: 443 }],
    ["http://[::1]/x", { protocol: "http", host: "::1", port: 80, path: "/x" }],
  ])("%s", (url, expected) => expect(upstreamOf(url)).toEqual(expected));
});

describe("rateLimitConfig", () => {
  it.each([
    [{ requests: 10, unit: "second" as const }, "consumer" as const, { second: 10 }],
    [{ requests: 5000, unit: "minute" as const, monthlyQuota: 1_000_000 }, "consumer" as const, { minute: 5000, month: 1_000_000 }],
    [{ requests: null, unit: null, monthlyQuota: 100 }, "service" as const, { month: 100 }],
  ])("%j by %s", (limit, by, fields) => {
    expect(rateLimitConfig(limit, by)).toEqual({
      limit_by: by,
      policy: "local",
      fault_tolerant: true,
      hide_client_headers: false,
      ...fields,
    });
  });
  it("is nothing for an unlimited tier", () => expect(rateLimitConfig({ requests: null, unit: null }, "consumer")).toBeUndefined());
});

describe("translateToKong", () => {
  it("writes one service, one route per operation, and the API-key plugins", () => {
    const t = translateToKong(input(noOpLimits()));
    expect(t.refusals).toEqual([]);
    expect(t.service).toMatchObject({
      name: "meridian.api_orders",
      protocol: "http",
      host: "backend.example.test",
      port: 8080,
      path: "/base",
    });
    expect(t.service.tags).toEqual(["meridian", "meridian-api:api_orders"]);
    expect(t.routes.map((r) => [r.methods, r.paths[0]])).toEqual([
      [["GET", "OPTIONS"], "~/orders-api/v1/orders$"],
      [["POST"], "~/orders-api/v1/orders$"],
      [["GET", "OPTIONS"], "~/orders-api/v1/orders/(?<orderId>[^/]+)$"],
      [["GET", "OPTIONS"], "~/orders-api/v1/health$"],
    ]);
    expect(t.routes.every((r) => r.strip_path === false && r.preserve_host === false && r.service?.id === t.service.id)).toBe(true);
    const byRoute = (i: number) => t.plugins.filter((p) => p.route?.id === t.routes[i].id).map((p) => p.name);
    expect(byRoute(0)).toEqual(["request-transformer", "key-auth", "acl"]);
    expect(byRoute(3)).toEqual(["request-transformer"]);
    const keyAuth = t.plugins.find((p) => p.name === "key-auth")!;
    expect(keyAuth.config.key_names).toEqual(["x-api-key"]);
    expect(t.plugins.find((p) => p.name === "acl")!.config).toEqual({ allow: ["meridian-api-api_orders"], hide_groups_header: true });
    expect(t.plugins.find((p) => p.name === "cors")).toMatchObject({
      service: { id: t.service.id },
      config: { origins: ["https://app.example.com"], methods: ["GET", "POST"], credentials: false, preflight_continue: false },
    });
    expect(t.tierLimits).toEqual({
      Gold: { limit_by: "consumer", policy: "local", fault_tolerant: true, hide_client_headers: false, minute: 5000, month: 1_000_000 },
      Bronze: { limit_by: "consumer", policy: "local", fault_tolerant: true, hide_client_headers: false, second: 10 },
    });
    expect(t.notes.map((n) => n.feature)).toEqual(["Burst"]);
  });

  it("verifies Meridian's tokens with the jwt plugin keyed by the client id, and says what it cannot check", () => {
    const t = translateToKong(input(noOpLimits({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } })));
    const jwt = t.plugins.filter((p) => p.name === "jwt");
    expect(jwt).toHaveLength(3);
    expect(jwt[0].config).toMatchObject({ key_claim_name: "client_id", claims_to_verify: ["exp"], header_names: ["authorization"] });
    expect(t.usesJwt).toBe(true);
    expect(t.notes.map((n) => n.feature)).toEqual(["Token audience", "Key rotation", "Burst"]);
  });

  it.each<[string, Parameters<typeof sampleSettings>[0], string]>([
    ["an operation limit beside limited tiers", {}, "Rate limits beside tiers"],
    [
      "an API limit beside limited tiers",
      { rateLimit: { requests: 1, unit: "second", burst: 1 }, operationPolicies: {} },
      "Rate limits beside tiers",
    ],
    [
      "OAuth2 scopes",
      {
        security: { scheme: "oauth2", apiKeyHeader: "x" },
        operationPolicies: { "GET /orders": { security: null, rateLimit: null, scopes: ["orders:read"] } },
      },
      "OAuth2 scopes",
    ],
  ])("refuses %s", (_name, overrides, feature) => {
    expect(translateToKong(input(sampleSettings(overrides))).refusals.map((r) => r.feature)).toContain(feature);
  });

  it("refuses a path parameter Kong cannot capture and an API without operations", () => {
    const bad = { openapi: "3.0.3", info: { title: "x", version: "1" }, paths: { "/o/{order-id}": { get: { responses: {} } } } };
    const t = translateToKong(input(noOpLimits(), { revision: { id: "r", number: 1, definition: bad, settings: noOpLimits() } }));
    expect(t.refusals.map((r) => r.feature)).toEqual(["Path /o/{order-id}", "Operations"]);
  });

  it("has the same ids on every translation and tags every entity with the API", () => {
    const a = translateToKong(input(noOpLimits()));
    const b = translateToKong(input(noOpLimits()));
    expect(a.service.id).toBe(stableId("api_orders|service"));
    expect(b.routes.map((r) => r.id)).toEqual(a.routes.map((r) => r.id));
    expect([a.service, ...a.routes, ...a.plugins].every((e) => e.tags.includes(apiTag("api_orders")))).toBe(true);
    expect(new Set([...a.routes, ...a.plugins].map((e) => e.id)).size).toBe(a.routes.length + a.plugins.length);
  });

  it("nests everything in Kong's 3.0 declarative format", () => {
    const t = translateToKong(input(noOpLimits()));
    const doc = declarativeConfig(t);
    expect(doc._format_version).toBe("3.0");
    expect(doc.services).toHaveLength(1);
    const [service] = doc.services!;
    expect(service.routes![2]).toMatchObject({ paths: ["~/orders-api/v1/orders/(?<orderId>[^/]+)$"] });
    expect(service.routes![2]).not.toHaveProperty("service");
    expect(service.routes![2].plugins!.find((p) => p.name === "request-transformer")!.config).toEqual({
      replace: { uri: '/base/orders/$(uri_captures["orderId"])' },
    });
    expect(service.plugins!.map((p) => p.name)).toEqual(["cors"]);
  });
});
