import { parser } from "@lezer/xml";
import { describe, expect, it } from "vitest";
import { parseXml, type XmlElement } from "@/e2e/emulators/azure/xml";
import { sampleDeploymentInput, sampleSettings, SAMPLE_TIERS } from "../sample-input";
import type { DeploymentTier } from "../types";
import { apiPolicyXml, CLIENT_ID_KEY, operationPoliciesXml, policyNotes, policyRefusals, strictestTier } from "./policy";
import { operationKeys, planOf, translate } from "./translate";

const KEY_MANAGER = sampleDeploymentInput({}).keyManager;
const KEYS = operationKeys(sampleDeploymentInput({}).revision.definition);

/** Well-formed by two parsers: the emulator's strict one, and Lezer's grammar (no error nodes). */
function parse(xml: string): XmlElement {
  let errors = 0;
  parser.parse(xml).iterate({ enter: (n) => void (n.type.isError && errors++) });
  expect(errors).toBe(0);
  return parseXml(xml);
}

const find = (el: XmlElement, name: string): XmlElement[] => [
  ...(el.name === name ? [el] : []),
  ...el.children.flatMap((c) => find(c, name)),
];
const inbound = (root: XmlElement) => root.children.find((c) => c.name === "inbound")!;

describe("Azure policy XML", () => {
  it("validates tokens of every key manager the API accepts, with each provider's OpenID configuration", () => {
    const settings = sampleSettings({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } });
    const external = {
      id: "kmg_idp",
      issuer: "https://login.example.com/tenant/v2.0",
      audience: "api://orders",
      audiences: ["api://orders", "orders"],
      jwksUri: "https://login.example.com/tenant/discovery/v2.0/keys",
      openidConfigurationUrl: "https://login.example.com/tenant/v2.0/.well-known/openid-configuration",
    };
    const both = parse(
      apiPolicyXml({ settings, tiers: SAMPLE_TIERS, keyManager: KEY_MANAGER, keyManagers: [KEY_MANAGER, external], productIds: {} }),
    );
    const jwt = find(both, "validate-jwt")[0];
    expect(find(jwt, "openid-config").map((c) => c.attrs.url)).toEqual([
      KEY_MANAGER.openidConfigurationUrl,
      external.openidConfigurationUrl,
    ]);
    expect(find(jwt, "issuer").map((i) => i.text)).toEqual([KEY_MANAGER.issuer, external.issuer]);
    expect(find(jwt, "audience").map((a) => a.text)).toEqual([KEY_MANAGER.audience, "api://orders", "orders"]);
    // An API that accepts the external provider alone does not trust Meridian's tokens.
    const only = find(
      parse(apiPolicyXml({ settings, tiers: SAMPLE_TIERS, keyManager: KEY_MANAGER, keyManagers: [external], productIds: {} })),
      "validate-jwt",
    )[0];
    expect(find(only, "issuer").map((i) => i.text)).toEqual([external.issuer]);
    expect(find(only, "openid-config").map((c) => c.attrs.url)).toEqual([external.openidConfigurationUrl]);
  });

  it("writes validate-jwt, CORS and the strictest tier for an OAuth2 API", () => {
    const settings = sampleSettings({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } });
    const root = parse(apiPolicyXml({ settings, tiers: SAMPLE_TIERS, keyManager: KEY_MANAGER, productIds: {} }));
    expect(root.children.map((c) => c.name)).toEqual(["inbound", "backend", "outbound", "on-error"]);
    expect(root.children.every((c) => c.children[0]?.name === "base")).toBe(true);
    expect(inbound(root).children.map((c) => c.name)).toEqual(["base", "cors", "validate-jwt", "rate-limit-by-key", "quota-by-key"]);
    const jwt = find(root, "validate-jwt")[0];
    expect(jwt.attrs).toMatchObject({ "header-name": "Authorization", "failed-validation-httpcode": "401" });
    expect(find(jwt, "openid-config")[0].attrs.url).toBe(KEY_MANAGER.openidConfigurationUrl);
    expect(find(jwt, "issuer")[0].text).toBe(KEY_MANAGER.issuer);
    expect(find(jwt, "audience")[0].text).toBe(KEY_MANAGER.audience);
    // Bronze (10/s) is stricter than Gold (5000/min); Gold's monthly quota is the only one.
    expect(find(root, "rate-limit-by-key")[0].attrs).toEqual({
      calls: "10",
      "renewal-period": "1",
      "counter-key": `@(context.Api.Id + ":" + ${CLIENT_ID_KEY})`,
    });
    expect(find(root, "quota-by-key")[0].attrs).toMatchObject({ calls: "1000000", "renewal-period": String(30 * 86400) });
    expect(find(root, "origin").map((o) => o.text)).toEqual(["https://app.example.com"]);
  });

  it("chooses each API-key tier's limits by its product", () => {
    const root = parse(
      apiPolicyXml({
        settings: sampleSettings(),
        tiers: SAMPLE_TIERS,
        keyManager: KEY_MANAGER,
        productIds: { Gold: "p-gold", Bronze: "p-bronze", Unlimited: "p-unlimited" },
      }),
    );
    expect(find(root, "validate-jwt")).toHaveLength(0);
    const whens = find(root, "when").filter((w) => w.attrs.condition.includes("Product"));
    expect(whens.map((w) => w.attrs.condition)).toEqual(['@(context.Product.Id == "p-gold")', '@(context.Product.Id == "p-bronze")']);
    expect(whens[0].children.map((c) => c.name)).toEqual(["rate-limit-by-key", "quota-by-key"]);
    expect(whens[0].children[0].attrs).toMatchObject({
      calls: "5000",
      "renewal-period": "60",
      "counter-key": '@(context.Api.Id + ":" + context.Subscription.Id)',
    });
  });

  it("expresses hour and day limits with quota-by-key, beyond rate-limit-by-key's 300 seconds", () => {
    const tiers: DeploymentTier[] = [
      { name: "Daily", displayName: "Daily", requests: 1000, unit: "day", burst: 10, monthlyQuota: null, unlimited: false },
    ];
    const root = parse(
      apiPolicyXml({
        settings: sampleSettings({ rateLimit: { requests: 50, unit: "hour", burst: 5 } }),
        tiers,
        keyManager: KEY_MANAGER,
        productIds: { Daily: "p" },
      }),
    );
    expect(find(root, "rate-limit-by-key")).toHaveLength(0);
    expect(find(root, "quota-by-key").map((q) => [q.attrs.calls, q.attrs["renewal-period"]])).toEqual([
      ["1000", "86400"],
      ["50", "3600"],
    ]);
  });

  it("writes operation policies only where operations differ", () => {
    const settings = sampleSettings({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } });
    const ops = operationPoliciesXml(
      { settings, tiers: SAMPLE_TIERS, keyManager: KEY_MANAGER, productIds: {} },
      KEYS.map((key) => ({ key })),
    );
    expect(Object.keys(ops).sort()).toEqual(["GET /health", "POST /orders"]);
    const open = parse(ops["GET /health"]);
    expect(inbound(open).children.map((c) => c.name)).toEqual(["cors"]);
    expect(find(open, "validate-jwt")).toHaveLength(0);
    const limited = parse(ops["POST /orders"]);
    expect(inbound(limited).children.map((c) => c.name)).toEqual(["base", "rate-limit-by-key"]);
    expect(find(limited, "rate-limit-by-key")[0].attrs).toMatchObject({
      calls: "5",
      "renewal-period": "1",
      "counter-key": '@(context.Api.Id + ":" + context.Operation.Id)',
    });
  });

  it("requires an operation's scopes with validate-jwt required claims, 403 without them", () => {
    const settings = sampleSettings({
      security: { scheme: "oauth2", apiKeyHeader: "x-api-key" },
      operationPolicies: {
        "GET /orders": { security: null, rateLimit: null, scopes: ["orders:read"] },
        "POST /orders": { security: null, rateLimit: { requests: 5, unit: "second", burst: 5 }, scopes: ["orders:read", "orders:write"] },
        // Open operations need no token, so no scope either.
        "GET /health": { security: "none", rateLimit: null, scopes: ["ignored"] },
      },
    });
    const ops = operationPoliciesXml(
      { settings, tiers: SAMPLE_TIERS, keyManager: KEY_MANAGER, productIds: {} },
      KEYS.map((key) => ({ key })),
    );
    expect(Object.keys(ops).sort()).toEqual(["GET /health", "GET /orders", "POST /orders"]);
    const read = parse(ops["GET /orders"]);
    expect(inbound(read).children.map((c) => c.name)).toEqual(["base", "validate-jwt"]);
    const jwt = find(read, "validate-jwt")[0];
    expect(jwt.attrs).toMatchObject({ "failed-validation-httpcode": "403", "require-scheme": "Bearer" });
    expect(jwt.children.map((c) => c.name)).toEqual(["openid-config", "audiences", "issuers", "required-claims"]);
    const claim = find(jwt, "claim")[0];
    expect(claim.attrs).toEqual({ name: "scope", match: "all", separator: " " });
    expect(find(claim, "value").map((v) => v.text)).toEqual(["orders:read"]);
    const write = parse(ops["POST /orders"]);
    expect(inbound(write).children.map((c) => c.name)).toEqual(["base", "validate-jwt", "rate-limit-by-key"]);
    expect(find(write, "value").map((v) => v.text)).toEqual(["orders:read", "orders:write"]);
    expect(find(parse(ops["GET /health"]), "validate-jwt")).toHaveLength(0);
  });

  it("puts the scopes into the one validate-jwt of an OAuth2 operation of an open API", () => {
    const settings = sampleSettings({
      security: { scheme: "none", apiKeyHeader: "x" },
      operationPolicies: { "GET /orders": { security: "oauth2", rateLimit: null, scopes: ["orders:read"] } },
    });
    const ops = operationPoliciesXml(
      { settings, tiers: [], keyManager: KEY_MANAGER, productIds: {} },
      KEYS.map((key) => ({ key })),
    );
    const jwts = find(parse(ops["GET /orders"]), "validate-jwt");
    expect(jwts).toHaveLength(1);
    expect(jwts[0].attrs["failed-validation-httpcode"]).toBe("401");
    expect(find(jwts[0], "value").map((v) => v.text)).toEqual(["orders:read"]);
  });

  it("writes no scope check for an API-key operation", () => {
    const settings = sampleSettings({ operationPolicies: { "GET /orders": { security: null, rateLimit: null, scopes: ["orders:read"] } } });
    const ops = operationPoliciesXml(
      { settings, tiers: SAMPLE_TIERS, keyManager: KEY_MANAGER, productIds: {} },
      KEYS.map((key) => ({ key })),
    );
    expect(ops["GET /orders"]).toBeUndefined();
  });

  it("escapes hostile values in attributes and text", () => {
    const hostile = `https://evil.example/"><inbound/><!--&amp;'`;
    const settings = sampleSettings({
      security: { scheme: "oauth2", apiKeyHeader: "x" },
      cors: { enabled: true, origins: [hostile], methods: ["GET"], headers: ["x-<h>&"], credentials: false },
    });
    const xml = apiPolicyXml({
      settings,
      tiers: [],
      keyManager: { ...KEY_MANAGER, issuer: hostile, openidConfigurationUrl: `${hostile}?a=1&b=2` },
      productIds: {},
    });
    const root = parse(xml);
    expect(find(root, "origin")[0].text).toBe(hostile);
    expect(find(root, "header")[0].text).toBe("x-<h>&");
    expect(find(root, "issuer")[0].text).toBe(hostile);
    expect(find(root, "openid-config")[0].attrs.url).toBe(`${hostile}?a=1&b=2`);
    expect(find(root, "inbound")).toHaveLength(1);
    expect(xml).toContain("&quot;");
  });

  it("refuses what Azure cannot enforce", () => {
    const oauth = sampleSettings({
      security: { scheme: "oauth2", apiKeyHeader: "x" },
      operationPolicies: { "GET /orders": { security: "apiKey", rateLimit: null } },
    });
    expect(policyRefusals(oauth, KEYS).map((r) => r.feature)).toEqual(["security of GET /orders"]);
    const keyed = sampleSettings({ operationPolicies: { "GET /orders": { security: "oauth2", rateLimit: null } } });
    expect(policyRefusals(keyed, KEYS).map((r) => r.feature)).toEqual(["security of GET /orders"]);
    const credentials = sampleSettings({ cors: { enabled: true, origins: ["*"], methods: [], headers: [], credentials: true } });
    expect(policyRefusals(credentials, KEYS).map((r) => r.feature)).toEqual(["CORS with credentials"]);
    expect(policyRefusals(sampleSettings(), KEYS)).toEqual([]);
  });

  it("takes the strictest rate across units, and none when every tier is unlimited", () => {
    expect(strictestTier(SAMPLE_TIERS)).toMatchObject({ requests: 10, unit: "second", monthlyQuota: 1_000_000 });
    expect(strictestTier(SAMPLE_TIERS.filter((t) => t.unlimited))).toBeNull();
  });
});

describe("Azure plan", () => {
  it("lists the version set, API, policies and one product per tier of an API-key API", async () => {
    const plan = planOf(translate(sampleDeploymentInput({})));
    expect(plan.artifacts.map((a) => `${a.kind} ${a.name}`)).toEqual([
      "version-set meridian-orders-api",
      "api meridian-orders-api-v1",
      "policy meridian-orders-api-v1 (API)",
      "policy meridian-orders-api-v1 POST /orders",
      "policy meridian-orders-api-v1 GET /health",
      "product meridian-orders-api-v1-gold",
      "product meridian-orders-api-v1-bronze",
      "product meridian-orders-api-v1-unlimited",
    ]);
    const api = plan.artifacts[1].content as Record<string, unknown>;
    // /health is open: keys become optional on the API and the policy requires them elsewhere.
    expect(api).toMatchObject({
      format: "openapi+json",
      path: "orders-api",
      apiVersion: "v1",
      protocols: ["https"],
      subscriptionRequired: false,
      subscriptionKeyParameterNames: { header: "x-api-key" },
    });
    expect(plan.artifacts.filter((a) => a.kind === "policy").every((a) => a.format === "xml")).toBe(true);
    expect(plan.refusals).toEqual([]);
  });

  const tier = (name: string, t: Partial<DeploymentTier>): DeploymentTier => ({
    name,
    displayName: name,
    requests: 10,
    unit: "second",
    burst: null,
    monthlyQuota: null,
    unlimited: false,
    ...t,
  });
  const apiKey = sampleSettings();
  const oauth2 = sampleSettings({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } });
  const open = sampleSettings({ security: { scheme: "none", apiKeyHeader: "x-api-key" } });

  it.each<[string, ReturnType<typeof sampleSettings>, DeploymentTier[], number, Array<[string, RegExp]>]>([
    ["no burst and no quota", apiKey, [tier("Flat", {})], 3, []],
    ["a tier's burst", apiKey, [tier("Bronze", { burst: 20 })], 3, [["Tier bursts", /no burst: Bronze \(burst 20\) keeps its rate/]]],
    [
      "bursts of several tiers, OAuth2 held to the strictest",
      oauth2,
      [tier("Gold", { burst: 500 }), tier("Bronze", { burst: 20 })],
      3,
      [["Tier bursts", /Gold \(burst 500\) and Bronze \(burst 20\) keep their rate/]],
    ],
    [
      "a monthly quota",
      apiKey,
      [tier("Metered", { requests: null, unit: null, monthlyQuota: 1000 })],
      3,
      [
        [
          "Monthly quotas",
          /fixed periods of 30 days .* calendar months \(UTC\): on Azure the monthly quota of Metered resets every 30 days/,
        ],
      ],
    ],
    ["unlimited tiers", apiKey, [tier("Unlimited", { unlimited: true, burst: 5, monthlyQuota: 5 })], 3, []],
    ["an open API, whose tiers apply nowhere", open, [tier("Gold", { burst: 5, monthlyQuota: 10 })], 3, []],
    ["no operations", open, [], 0, [["Operations", /no operations: .* answers 404 to every request/]]],
  ])("notes %s", (_what, settings, tiers, operations, expected) => {
    const notes = policyNotes(settings, tiers, operations);
    expect(notes.map((n) => n.feature)).toEqual(expected.map(([feature]) => feature));
    notes.forEach((n, i) => expect(n.note).toMatch(expected[i][1]));
  });

  it("shows the notes of the sample API's tiers in the plan", () => {
    const plan = planOf(translate(sampleDeploymentInput({})));
    expect(plan.notes?.map((n) => n.feature)).toEqual(["Tier bursts", "Monthly quotas"]);
    expect(plan.notes?.[0].note).toMatch(/Gold \(burst 500\) and Bronze \(burst 20\)/);
    expect(plan.notes?.[1].note).toMatch(/monthly quota of Gold resets every 30 days/);
  });
});
