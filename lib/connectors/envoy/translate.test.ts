import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { sampleDeploymentInput, sampleSettings, SAMPLE_DEFINITION } from "../sample-input";
import type { DeploymentInput } from "../types";
import { envoyConfigSchema } from "./descriptor";
import { keyEntryName } from "./names";
import { inClusterService, pathMatch, planOf, translate, type K8sObject } from "./translate";

const config = envoyConfigSchema.parse({
  apiServerUrl: "https://kubernetes.example.test:6443",
  bearerToken: "token-0123456789",
  namespace: "apis",
  gatewayName: "eg",
});

const run = (overrides: Partial<DeploymentInput> = {}, c = config) => translate(sampleDeploymentInput(c, overrides), c);
const withSettings = (settings: ReturnType<typeof sampleSettings>, extra: Partial<DeploymentInput> = {}) =>
  run({
    revision: { id: "rev_1", number: 3, definition: SAMPLE_DEFINITION, settings },
    endpoint: settings.endpoints.production!,
    ...extra,
  });
const find = (objects: K8sObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (!name || o.metadata.name === name));
const LABELS = { "app.kubernetes.io/managed-by": "meridian", "meridian.dev/api": "api_orders" };

describe("Envoy Gateway translation", () => {
  it("writes the key Secret, Backend, rewrite, routes and policies in apply order, all labelled", () => {
    const t = run();
    expect(t.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Secret/meridian-api-orders-keys",
      "Backend/meridian-api-orders-backend",
      "HTTPRouteFilter/meridian-api-orders-rewrite",
      "HTTPRoute/meridian-api-orders",
      "HTTPRoute/meridian-api-orders-open",
      "SecurityPolicy/meridian-api-orders-security",
      "BackendTrafficPolicy/meridian-api-orders-limits",
      "BackendTrafficPolicy/meridian-api-orders-post-orders",
      "SecurityPolicy/meridian-api-orders-open-security",
    ]);
    for (const o of t.objects) {
      expect(o.metadata.labels).toEqual(LABELS);
      expect(o.metadata.namespace).toBe("apis");
    }
    expect(t.refusals).toEqual([]);
    expect(t.routes).toEqual(["meridian-api-orders", "meridian-api-orders-open"]);
  });

  it("makes one rule per operation, with exact and regular-expression path matches under /context/version", () => {
    const route = find(run().objects, "HTTPRoute", "meridian-api-orders")!;
    expect(route.spec).toEqual({
      parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "eg" }],
      rules: [
        ["get-orders", "GET", { type: "Exact", value: "/orders-api/v1/orders" }],
        ["post-orders", "POST", { type: "Exact", value: "/orders-api/v1/orders" }],
        ["get-orders-orderid", "GET", { type: "RegularExpression", value: "/orders-api/v1/orders/[^/]+" }],
      ].map(([name, method, path]) => ({
        name,
        matches: [{ path, method }],
        filters: [
          {
            type: "ExtensionRef",
            extensionRef: { group: "gateway.envoyproxy.io", kind: "HTTPRouteFilter", name: "meridian-api-orders-rewrite" },
          },
        ],
        backendRefs: [{ group: "gateway.envoyproxy.io", kind: "Backend", name: "meridian-api-orders-backend" }],
      })),
    });
    const open = find(run().objects, "HTTPRoute", "meridian-api-orders-open")!;
    expect((open.spec!.rules as Array<{ name: string }>).map((r) => r.name)).toEqual(["get-health"]);
  });

  it.each([
    ["/items", "/api/v2", { type: "Exact", value: "/api/v2/items" }],
    ["/items/{id}/parts/{part}", "/api/v2", { type: "RegularExpression", value: "/api/v2/items/[^/]+/parts/[^/]+" }],
    ["/files/{name}.json", "/a.b", { type: "RegularExpression", value: "/a\\.b/files/[^/]+\\.json" }],
  ])("matches %s under %s", (template, prefix, expected) => {
    expect(pathMatch(prefix, template)).toEqual(expected);
  });

  it("rewrites the public prefix onto the endpoint's base path", () => {
    expect(find(run().objects, "HTTPRouteFilter")!.spec).toEqual({
      urlRewrite: { path: { type: "ReplaceRegexMatch", replaceRegexMatch: { pattern: "^/orders-api/v1", substitution: "/base" } } },
    });
  });

  it.each([
    ["http://backend.example.test:8080/base", { endpoints: [{ fqdn: { hostname: "backend.example.test", port: 8080 } }] }],
    [
      "https://api.example.com",
      { endpoints: [{ fqdn: { hostname: "api.example.com", port: 443 } }], tls: { wellKnownCACertificates: "System" } },
    ],
    ["http://10.0.0.7:9000", { endpoints: [{ ip: { address: "10.0.0.7", port: 9000 } }] }],
  ])("points a Backend at %s", (endpoint, spec) => {
    expect(find(run({ endpoint }).objects, "Backend")!.spec).toEqual(spec);
  });

  it.each([
    ["http://orders:8080", { kind: "Service", name: "orders", port: 8080 }],
    ["http://orders.apis.svc.cluster.local", { kind: "Service", name: "orders", port: 80 }],
    ["http://orders.apis.svc:81", { kind: "Service", name: "orders", port: 81 }],
  ])("refers to the in-cluster Service of %s", (endpoint, ref) => {
    const t = run({ endpoint });
    expect(find(t.objects, "Backend")).toBeUndefined();
    expect((find(t.objects, "HTTPRoute")!.spec!.rules as Array<{ backendRefs: unknown[] }>)[0].backendRefs).toEqual([ref]);
    expect(t.refusals).toEqual([]);
  });

  it("tells in-cluster names from external ones", () => {
    expect(inClusterService("orders.other.svc", "apis")).toEqual({ name: "orders", namespace: "other" });
    expect(inClusterService("example.com", "apis")).toBeUndefined();
    expect(inClusterService("127.0.0.1", "apis")).toBeUndefined();
  });

  it.each([
    ["http://orders.other.svc.cluster.local", /ReferenceGrant/],
    ["https://orders:8443", /BackendTLSPolicy/],
    ["ftp://files.example.com", /http:\/\/ and https:\/\//],
    ["http://api.example.com/base?x=1", /query string/],
  ])("refuses the endpoint %s", (endpoint, reason) => {
    expect(run({ endpoint }).refusals).toEqual([{ feature: "Backend", reason: expect.stringMatching(reason) }]);
  });

  it("checks API keys from the Secret per API and forwards the key's name as the client id; CORS in the same policy", () => {
    const policy = find(run().objects, "SecurityPolicy", "meridian-api-orders-security")!;
    expect(policy.spec).toEqual({
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "meridian-api-orders" }],
      cors: {
        allowOrigins: ["https://app.example.com"],
        allowMethods: ["GET", "POST"],
        allowHeaders: ["content-type", "x-api-key"],
      },
      apiKeyAuth: {
        credentialRefs: [{ group: "", kind: "Secret", name: "meridian-api-orders-keys" }],
        extractFrom: [{ headers: ["x-api-key"] }],
        forwardClientIDHeader: "x-meridian-client-id",
        sanitize: true,
      },
    });
    // The open route keeps CORS only.
    expect(Object.keys(find(run().objects, "SecurityPolicy", "meridian-api-orders-open-security")!.spec!)).toEqual(["targetRefs", "cors"]);
    expect(find(run().objects, "Secret")).toMatchObject({ apiVersion: "v1", type: "Opaque" });
    expect(find(run().objects, "Secret")).not.toHaveProperty("data");
  });

  it("checks Meridian's tokens through the key manager's JWKS, copying client_id to a header", () => {
    const t = withSettings(
      sampleSettings({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" }, cors: { ...sampleSettings().cors, enabled: false } }),
    );
    expect(find(t.objects, "Secret")).toBeUndefined();
    expect(find(t.objects, "SecurityPolicy", "meridian-api-orders-security")!.spec).toEqual({
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "meridian-api-orders" }],
      jwt: {
        providers: [
          {
            name: "meridian",
            issuer: "http://localhost:3000",
            audiences: ["meridian-gateways"],
            remoteJWKS: { uri: "http://localhost:3000/oauth2/jwks" },
            claimToHeaders: [{ claim: "client_id", header: "x-meridian-client-id" }],
          },
        ],
      },
      authorization: { defaultAction: "Deny" },
    });
    // No CORS and no security: the open route needs no policy.
    expect(find(t.objects, "SecurityPolicy", "meridian-api-orders-open-security")).toBeUndefined();
    expect(t.notes.map((n) => n.feature)).toEqual(["Backend", "Rate limits", "Tiers of OAuth2 callers", "Subscriptions of OAuth2 callers"]);
  });

  it("limits each key by its tier: one rule per tier on the key name's prefix, one bucket per key, monthly quotas by month", () => {
    const limits = find(run().objects, "BackendTrafficPolicy", "meridian-api-orders-limits")!;
    const key = (tier: string) => [
      {
        headers: [
          { name: "x-meridian-client-id", type: "RegularExpression", value: `${tier}\\..+` },
          { name: "x-meridian-client-id", type: "Distinct" },
        ],
      },
    ];
    expect(limits.spec).toEqual({
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "meridian-api-orders" }],
      rateLimit: {
        type: "Global",
        global: {
          rules: [
            { clientSelectors: key("gold"), limit: { requests: 5000, unit: "Minute" } },
            { clientSelectors: key("gold"), limit: { requests: 1_000_000, unit: "Month" } },
            { clientSelectors: key("bronze"), limit: { requests: 10, unit: "Second" } },
          ],
        },
      },
    });
    expect(keyEntryName("Gold", "sub_1", "key_2")).toMatch(/^gold\./);
  });

  it("gives an operation's own limit a policy on its rule, which keeps the tier rules", () => {
    const op = find(run().objects, "BackendTrafficPolicy", "meridian-api-orders-post-orders")!;
    expect(op.spec!.targetRefs).toEqual([
      { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "meridian-api-orders", sectionName: "post-orders" },
    ]);
    const rules = (op.spec!.rateLimit as { global: { rules: Array<{ clientSelectors?: unknown; limit: unknown }> } }).global.rules;
    expect(rules[0]).toEqual({ limit: { requests: 5, unit: "Second" } });
    expect(rules).toHaveLength(4);
  });

  it("applies the API's own limit to all callers together", () => {
    const t = withSettings(sampleSettings({ rateLimit: { requests: 100, unit: "minute", burst: 10 }, allowedTiers: [] }), { tiers: [] });
    const limits = find(t.objects, "BackendTrafficPolicy", "meridian-api-orders-limits")!;
    expect((limits.spec!.rateLimit as { global: { rules: unknown[] } }).global.rules).toEqual([
      { limit: { requests: 100, unit: "Minute" } },
    ]);
  });

  it("attaches to the configured listener", () => {
    const t = run({}, { ...config, sectionName: "https" });
    expect(find(t.objects, "HTTPRoute")!.spec!.parentRefs).toEqual([
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "eg", sectionName: "https" },
    ]);
  });

  it("splits more than 16 operations over several routes of one API", () => {
    const paths = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`/r${i}`, { get: { responses: { "200": { description: "ok" } } } }]),
    );
    const settings = sampleSettings({ operationPolicies: {} });
    const t = withSettings(settings, { revision: { id: "r", number: 1, definition: { openapi: "3.0.3", paths }, settings } });
    expect(t.routes).toEqual(["meridian-api-orders", "meridian-api-orders-2"]);
    expect(find(t.objects, "SecurityPolicy")!.spec!.targetRefs).toHaveLength(2);
  });

  it("refuses what it cannot enforce: per-operation scopes, no operations", () => {
    const scoped = sampleSettings({
      security: { scheme: "oauth2", apiKeyHeader: "x-api-key" },
      operationPolicies: { "GET /orders": { security: null, rateLimit: null, scopes: ["orders:read"] } },
    });
    expect(withSettings(scoped).refusals).toEqual([
      { feature: "OAuth2 scopes of GET /orders", reason: expect.stringMatching(/scopes would not be checked/) },
    ]);
    const settings = sampleSettings();
    const empty = withSettings(settings, { revision: { id: "r", number: 1, definition: { openapi: "3.0.3", paths: {} }, settings } });
    expect(empty.refusals.map((r) => r.feature)).toEqual(["Operations"]);
  });

  it("plans the exact multi-document YAML a deploy applies", () => {
    const t = run();
    const plan = planOf(t);
    expect(plan.artifacts).toHaveLength(1);
    const docs = parseAllDocuments(plan.artifacts[0].content as string).map((d) => d.toJS());
    expect(docs).toEqual(JSON.parse(JSON.stringify(t.objects)));
    expect(plan.artifacts[0].content).toContain("kind: HTTPRoute\n");
    expect(plan.artifacts[0].content).toContain("\n---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: Backend\n");
  });
});
