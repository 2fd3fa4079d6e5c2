import { describe, expect, it } from "vitest";
import { sampleDeploymentInput, sampleSettings, SAMPLE_DEFINITION, SAMPLE_TIERS } from "../sample-input";
import type { DeploymentInput } from "../types";
import { awsConfigSchema } from "./descriptor";
import { methodSettingPatchPath, toThrottle } from "./limits";
import { awsModelNames } from "./model-names";
import { awsDeploymentSpec } from "./plan";
import { cleanSchema } from "./schema-cleanup";

const AUTHORIZER = "arn:aws:lambda:eu-west-1:123456789012:function:meridian-authorizer";
const ROLE = "arn:aws:iam::123456789012:role/authorizer-invoke";
const config = awsConfigSchema.parse({
  region: "eu-west-1",
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "secret",
  stageName: "prod",
});
const withAuthorizer = awsConfigSchema.parse({ ...config, authorizerArn: AUTHORIZER, authorizerRoleArn: ROLE });

const spec = (overrides: Partial<DeploymentInput> = {}, c = config) => awsDeploymentSpec(sampleDeploymentInput(c, overrides), c);
const withSettings = (settings: ReturnType<typeof sampleSettings>, c = config, definition = SAMPLE_DEFINITION) =>
  spec({ revision: { id: "rev_1", number: 3, definition, settings } }, c);

const API_KEY = [{ api_key: [] }];
const proxy = (method: string, path: string, params: string[] = []) => ({
  type: "http_proxy",
  httpMethod: method,
  uri: `http://backend.example.test:8080/base${path}`,
  ...(params.length
    ? { requestParameters: Object.fromEntries(params.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`])) }
    : {}),
  passthroughBehavior: "when_no_match",
  connectionType: "INTERNET",
  timeoutInMillis: 29000,
});
const preflight = (params: string[] = []) => ({
  summary: "CORS preflight",
  ...(params.length ? { parameters: params.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })) } : {}),
  responses: {
    "200": {
      description: "CORS preflight",
      headers: {
        "Access-Control-Allow-Origin": { schema: { type: "string" } },
        "Access-Control-Allow-Methods": { schema: { type: "string" } },
        "Access-Control-Allow-Headers": { schema: { type: "string" } },
      },
    },
  },
  "x-amazon-apigateway-integration": {
    type: "mock",
    requestTemplates: { "application/json": '{"statusCode": 200}' },
    passthroughBehavior: "when_no_match",
    responses: {
      default: {
        statusCode: "200",
        responseParameters: {
          "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'",
          "method.response.header.Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
          "method.response.header.Access-Control-Allow-Headers": "'content-type,x-api-key'",
        },
      },
    },
  },
});

describe("AWS translation of the canonical API", () => {
  it("builds the document API Gateway imports", () => {
    expect(spec().document).toEqual({
      openapi: "3.0.1",
      info: { title: "Orders", version: "v1", description: "Orders & <returns>" },
      paths: {
        "/orders": {
          get: {
            operationId: "listOrders",
            summary: "List orders",
            responses: { "200": { description: "Orders" } },
            security: API_KEY,
            "x-amazon-apigateway-integration": proxy("GET", "/orders"),
          },
          post: {
            operationId: "createOrder",
            requestBody: { content: { "application/json": { schema: { type: "object" } } } },
            responses: { "201": { description: "Created" } },
            security: API_KEY,
            "x-amazon-apigateway-integration": proxy("POST", "/orders"),
          },
          options: preflight(),
        },
        "/orders/{orderId}": {
          get: {
            operationId: "getOrder",
            parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "string" } }],
            responses: { "200": { description: "One order" }, "404": { description: "Not found" } },
            security: API_KEY,
            "x-amazon-apigateway-integration": proxy("GET", "/orders/{orderId}", ["orderId"]),
          },
          options: preflight(["orderId"]),
        },
        // Open: no security requirement at all.
        "/health": {
          get: {
            operationId: "health",
            responses: { "200": { description: "Up" } },
            "x-amazon-apigateway-integration": proxy("GET", "/health"),
          },
          options: preflight(),
        },
      },
      components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } } },
      "x-amazon-apigateway-api-key-source": "HEADER",
    });
  });

  it("plans one usage plan per tier, the stage and no refusal", () => {
    const { plan, usagePlans, stage } = spec();
    expect(plan.refusals).toEqual([]);
    expect(plan.artifacts.map((a) => `${a.kind}:${a.name}`)).toEqual([
      "openapi:Orders v1",
      "stage:prod",
      "usage-plan:Orders v1 - Gold",
      "usage-plan:Orders v1 - Bronze",
      "usage-plan:Orders v1 - Unlimited",
    ]);
    expect(usagePlans.map(({ tier, throttle, quota }) => ({ tier, throttle, quota }))).toEqual([
      { tier: "Gold", throttle: { rateLimit: 83.333333, burstLimit: 500 }, quota: { limit: 1_000_000, period: "MONTH", offset: 0 } },
      { tier: "Bronze", throttle: { rateLimit: 10, burstLimit: 20 }, quota: undefined },
      // Unlimited still needs a plan: a key outside every plan is refused.
      { tier: "Unlimited", throttle: undefined, quota: undefined },
    ]);
    expect(stage).toEqual({
      name: "prod",
      description: "Meridian revision 1",
      methodSettings: { "orders/POST": { rateLimit: 5, burstLimit: 5 } },
    });
  });
});

describe("AWS translation of security", () => {
  it("puts OAuth2 operations behind the Lambda token authorizer", () => {
    const settings = sampleSettings({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } });
    const { document, plan, usagePlans } = awsDeploymentSpec(
      sampleDeploymentInput(withAuthorizer, {
        revision: { id: "r", number: 1, definition: SAMPLE_DEFINITION, settings },
        tiers: SAMPLE_TIERS.filter((t) => t.unlimited),
      }),
      withAuthorizer,
    );
    const paths = document.paths as Record<string, Record<string, { security?: unknown }>>;
    expect(paths["/orders"].get.security).toEqual([{ meridian_oauth2: [] }]);
    expect(paths["/health"].get.security).toBeUndefined();
    expect(document["x-amazon-apigateway-api-key-source"]).toBeUndefined();
    expect((document.components as { securitySchemes: unknown }).securitySchemes).toEqual({
      meridian_oauth2: {
        type: "apiKey",
        name: "Authorization",
        in: "header",
        "x-amazon-apigateway-authtype": "custom",
        "x-amazon-apigateway-authorizer": {
          type: "token",
          authorizerUri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${AUTHORIZER}/invocations`,
          authorizerCredentials: ROLE,
          identitySource: "method.request.header.Authorization",
          authorizerResultTtlInSeconds: 300,
        },
      },
    });
    expect(usagePlans).toEqual([]);
    expect(plan.refusals).toEqual([]);
    expect(plan.artifacts.map((a) => a.kind)).toEqual(["openapi", "stage", "authorizer", "authorizer-issuers"]);
    // Meridian's own issuer alone: nothing to note.
    expect(plan.artifacts.find((a) => a.kind === "authorizer-issuers")?.content).toEqual({
      issuers: [
        {
          issuer: "http://localhost:3000",
          jwksUri: "http://localhost:3000/oauth2/jwks",
          audiences: ["meridian-gateways"],
          clientIdClaim: "client_id",
        },
      ],
    });
    expect(plan.notes?.map((n) => n.feature)).not.toContain("external key managers");
  });

  it("gives the Lambda authorizer the external issuers an API accepts", () => {
    const settings = sampleSettings({ security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } });
    const external = {
      id: "kmg_idp",
      issuer: "https://idp.example.com/realms/acme",
      audience: "orders-api",
      audiences: ["orders-api", "account"],
      jwksUri: "https://idp.example.com/realms/acme/certs",
      openidConfigurationUrl: "https://idp.example.com/realms/acme/.well-known/openid-configuration",
      clientIdClaim: "azp",
    };
    const { plan } = awsDeploymentSpec(
      sampleDeploymentInput(withAuthorizer, {
        revision: { id: "r", number: 1, definition: SAMPLE_DEFINITION, settings },
        tiers: SAMPLE_TIERS.filter((t) => t.unlimited),
        keyManagers: [external],
      }),
      withAuthorizer,
    );
    expect(plan.artifacts.find((a) => a.kind === "authorizer-issuers")?.content).toEqual({
      issuers: [{ issuer: external.issuer, jwksUri: external.jwksUri, audiences: ["orders-api", "account"], clientIdClaim: "azp" }],
    });
    expect(plan.notes).toContainEqual({ feature: "external key managers", note: expect.stringContaining("authorizer-issuers") });
  });

  it.each<[string, Parameters<typeof sampleSettings>[0], typeof config, RegExp]>([
    [
      "OAuth2 security",
      { security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } },
      config,
      /GET \/orders, POST \/orders, GET \/orders\/\{orderId\} require Meridian's OAuth2 tokens.*Lambda authorizer ARN/,
    ],
    [
      "OAuth2 security",
      { operationPolicies: { "GET /health": { security: "oauth2", rateLimit: null } } },
      config,
      /^GET \/health requires/,
    ],
    [
      "Subscription tiers",
      { security: { scheme: "oauth2", apiKeyHeader: "x-api-key" } },
      withAuthorizer,
      /limits of Gold, Bronze would not apply/,
    ],
    [
      "API key header",
      { security: { scheme: "apiKey", apiKeyHeader: "X-Client-Key" } },
      config,
      /x-api-key header only; this API expects them in X-Client-Key/,
    ],
    [
      "CORS origins",
      { cors: { enabled: true, origins: ["https://a.example", "https://b.example"], methods: ["GET"], headers: [], credentials: false } },
      config,
      /one fixed Access-Control-Allow-Origin; this API allows 2 origins/,
    ],
    ["API rate limit", { rateLimit: { requests: 100, unit: "second", burst: 100 } }, config, /one budget shared by all operations/],
    [
      "Rate limit of POST /orders",
      { operationPolicies: { "POST /orders": { security: null, rateLimit: { requests: 50_000, unit: "second", burst: 100 } } } },
      config,
      /beyond API Gateway's account throttle/,
    ],
    [
      "OAuth2 scopes",
      {
        security: { scheme: "oauth2", apiKeyHeader: "x-api-key" },
        operationPolicies: {
          "GET /orders": { security: null, rateLimit: null, scopes: ["orders:read"] },
          "GET /health": { security: "none", rateLimit: null, scopes: ["unused"] },
        },
      },
      withAuthorizer,
      /^GET \/orders \(orders:read\) requires OAuth2 scopes\. API Gateway checks a method's authorization scopes only with a Cognito user pool authorizer/,
    ],
  ])("refuses %s it cannot enforce", (feature, overrides, c, reason) => {
    const refusals = withSettings(sampleSettings(overrides), c).plan.refusals;
    expect(refusals).toContainEqual({ feature, reason: expect.stringMatching(reason) });
  });

  it("does not refuse scopes of operations that take API keys, which carry none", () => {
    const settings = sampleSettings({ operationPolicies: { "GET /orders": { security: null, rateLimit: null, scopes: ["orders:read"] } } });
    expect(withSettings(settings, config).plan.refusals.map((r) => r.feature)).not.toContain("OAuth2 scopes");
  });

  it("refuses paths and methods API Gateway has no resource for", () => {
    const definition = {
      openapi: "3.0.3",
      info: { title: "X", version: "1" },
      paths: { "/files/{name}.json": { get: { responses: {} } }, "/debug": { trace: { responses: {} } } },
    };
    expect(withSettings(sampleSettings({ operationPolicies: {} }), config, definition).plan.refusals).toEqual([
      { feature: "Path /files/{name}.json", reason: expect.stringMatching(/whole path segment/) },
      { feature: "TRACE /debug", reason: "API Gateway REST APIs have no TRACE method." },
    ]);
  });
});

describe("AWS throttles from Meridian limits", () => {
  it.each<[Parameters<typeof toThrottle>[0], ReturnType<typeof toThrottle>["throttle"] | RegExp]>([
    [
      { requests: 10, unit: "second", burst: 20 },
      { rateLimit: 10, burstLimit: 20 },
    ],
    [
      { requests: 600, unit: "minute", burst: 50 },
      { rateLimit: 10, burstLimit: 50 },
    ],
    [
      { requests: 1000, unit: "hour", burst: 100 },
      { rateLimit: 0.277778, burstLimit: 100 },
    ],
    [
      { requests: 86_400, unit: "day", burst: 10 },
      { rateLimit: 1, burstLimit: 10 },
    ],
    [
      { requests: 1, unit: "day", burst: 1 },
      { rateLimit: 0.000012, burstLimit: 1 },
    ],
    // Without a burst a whole day's allowance would be one bucket: beyond the account's.
    [{ requests: 100_000, unit: "day", burst: null }, /burst of 100000, beyond .* give the limit a burst/],
    [{ requests: 20_000, unit: "second", burst: 10 }, /20000 requests per second/],
    [{ requests: 10, unit: "second", burst: 0 }, /whole burst of at least 1/],
  ])("converts %j", (limit, expected) => {
    const out = toThrottle(limit, "Tier");
    if (expected instanceof RegExp) expect(out.refusal?.reason).toMatch(expected);
    else expect(out).toEqual({ throttle: expected });
  });

  it.each([
    ["orders/POST", "throttling/rateLimit", "/orders/POST/throttling/rateLimit"],
    ["orders/{orderId}/GET", "throttling/burstLimit", "/orders~1{orderId}/GET/throttling/burstLimit"],
    ["*/*", "", "/*/*"],
  ])("patches method setting %s at its escaped path", (key, setting, path) => {
    expect(methodSettingPatchPath(key, setting)).toBe(path);
  });
});

describe("AWS schema clean-up", () => {
  it("drops documentation keywords and rewrites 3.1 spellings, keeping properties named like keywords", () => {
    expect(
      cleanSchema({
        type: ["string", "null"],
        example: "x",
        properties: { example: { type: "integer", exclusiveMinimum: 0, readOnly: true }, kind: { const: "order" } },
        items: { $ref: "#/components/schemas/Line", description: "ignored beside $ref" },
      }),
    ).toEqual({
      type: "string",
      nullable: true,
      properties: { example: { type: "integer", minimum: 0, exclusiveMinimum: true }, kind: { enum: ["order"] } },
      items: { $ref: "#/components/schemas/Line" },
    });
  });

  it("strips the document's own servers, security and gateway extensions", () => {
    const definition = {
      ...SAMPLE_DEFINITION,
      servers: [{ url: "https://elsewhere.example" }],
      security: [{ oauth: [] }],
      "x-amazon-apigateway-binary-media-types": ["*/*"],
      components: { securitySchemes: { oauth: { type: "oauth2", flows: {} } }, schemas: { Order: { type: "object", example: { id: 1 } } } },
    };
    const { document } = withSettings(sampleSettings(), config, definition);
    expect(Object.keys(document).sort()).toEqual(["components", "info", "openapi", "paths", "x-amazon-apigateway-api-key-source"]);
    expect(document.components).toEqual({
      schemas: { Order: { type: "object" } },
      securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } },
    });
  });
});

describe("AWS model names", () => {
  it.each<[string, string[], Record<string, string>]>([
    ["alphanumeric names are kept", ["Order", "order2", "V1"], {}],
    ["snake case", ["call_enum_event"], { call_enum_event: "CallEnumEvent" }],
    ["dotted names", ["studio.v2.flow", "api.v2010.account"], { "studio.v2.flow": "StudioV2Flow", "api.v2010.account": "ApiV2010Account" }],
    [
      "hyphens, spaces and colons",
      ["pet-list", "Order line", "Register:read"],
      { "pet-list": "PetList", "Order line": "OrderLine", "Register:read": "RegisterRead" },
    ],
    ["a name with no letter or digit", ["_", "__"], { _: "Model", __: "Model2" }],
    ["a kept name is never taken", ["CallEnumEvent", "call_enum_event"], { call_enum_event: "CallEnumEvent2" }],
    [
      "renamed names never collide",
      ["call-enum-event", "call.enum.event", "call_enum_event", "CallEnumEvent2"],
      { "call-enum-event": "CallEnumEvent", "call.enum.event": "CallEnumEvent3", call_enum_event: "CallEnumEvent4" },
    ],
  ])("%s", (_what, names, expected) => {
    const renamed = awsModelNames(names);
    expect(Object.fromEntries(renamed)).toEqual(expected);
    // Whatever the document's order, the same names.
    expect(Object.fromEntries(awsModelNames([...names].reverse()))).toEqual(expected);
    const all = names.map((n) => renamed.get(n) ?? n);
    expect(new Set(all).size).toBe(names.length);
    for (const name of all) expect(name).toMatch(/^[A-Za-z0-9]+$/);
  });

  it("renames the schemas of the document API Gateway imports and rewrites every reference", () => {
    const definition = {
      ...SAMPLE_DEFINITION,
      paths: {
        "/calls": {
          post: {
            operationId: "createCall",
            requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/call_enum_event" } } } },
            responses: {
              "201": {
                description: "Created",
                content: { "application/json": { schema: { $ref: "#/components/schemas/api.v2010.account.call" } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          call_enum_event: { type: "string", enum: ["initiated", "ringing"] },
          "api.v2010.account.call": {
            type: "object",
            properties: {
              events: { type: "array", items: { $ref: "#/components/schemas/call_enum_event" } },
              flow: { $ref: "#/components/schemas/studio.v2.flow/properties/sid" },
            },
          },
          "studio.v2.flow": { type: "object", properties: { sid: { type: "string" } } },
          Account: { allOf: [{ $ref: "#/components/schemas/api.v2010.account.call" }] },
        },
        responses: {
          Call: {
            description: "A call",
            content: { "application/json": { schema: { $ref: "#/components/schemas/api.v2010.account.call" } } },
          },
        },
      },
    };
    const { document, plan } = withSettings(sampleSettings({ operationPolicies: {} }), config, definition);
    const components = document.components as Record<string, Record<string, unknown>>;
    expect(Object.keys(components.schemas).sort()).toEqual(["Account", "ApiV2010AccountCall", "CallEnumEvent", "StudioV2Flow"]);
    expect(components.schemas.ApiV2010AccountCall).toEqual({
      type: "object",
      properties: {
        events: { type: "array", items: { $ref: "#/components/schemas/CallEnumEvent" } },
        flow: { $ref: "#/components/schemas/StudioV2Flow/properties/sid" },
      },
    });
    expect(components.schemas.Account).toEqual({ allOf: [{ $ref: "#/components/schemas/ApiV2010AccountCall" }] });
    expect(components.responses).toEqual({
      Call: { description: "A call", content: { "application/json": { schema: { $ref: "#/components/schemas/ApiV2010AccountCall" } } } },
    });
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBe(6);
    for (const ref of refs) expect(ref).toMatch(/^"\$ref":"#\/components\/(schemas|responses)\/[A-Za-z0-9]+(\/|")/);
    const post = (document.paths as Record<string, Record<string, Record<string, unknown>>>)["/calls"].post;
    expect(JSON.stringify(post)).toContain('"#/components/schemas/CallEnumEvent"');
    expect(plan.refusals).toEqual([]);
    expect(plan.notes).toEqual([
      {
        feature: "Schema names",
        note: expect.stringMatching(/model names must be alphanumeric: 3 schemas are renamed .*call_enum_event → CallEnumEvent/),
      },
    ]);
  });

  it("reads references written with JSON pointer and URI escapes", () => {
    const definition = {
      ...SAMPLE_DEFINITION,
      components: {
        schemas: {
          "a/b": { type: "string" },
          "c d": { type: "string" },
          E: { properties: { x: { $ref: "#/components/schemas/a~1b" }, y: { $ref: "#/components/schemas/c%20d" } } },
        },
      },
    };
    const { document } = withSettings(sampleSettings(), config, definition);
    expect((document.components as Record<string, Record<string, unknown>>).schemas).toEqual({
      AB: { type: "string" },
      CD: { type: "string" },
      E: { properties: { x: { $ref: "#/components/schemas/AB" }, y: { $ref: "#/components/schemas/CD" } } },
    });
  });

  it("notes nothing when every name is already alphanumeric", () => {
    expect(spec().plan.notes).toEqual([]);
  });
});

describe("AWS plan of an API without operations", () => {
  const WEBHOOKS_ONLY = {
    openapi: "3.1.0",
    info: { title: "Hooks", version: "1" },
    webhooks: {
      newPet: {
        post: {
          requestBody: { content: { "application/json": { schema: { type: "object" } } } },
          responses: { "200": { description: "Received" } },
        },
      },
    },
  };

  it.each<[string, Record<string, unknown>]>([
    ["a webhooks-only OpenAPI 3.1 document", WEBHOOKS_ONLY],
    ["empty paths", { ...WEBHOOKS_ONLY, webhooks: undefined, paths: {} }],
    ["path items without methods", { ...WEBHOOKS_ONLY, paths: { "/pets": { parameters: [] } } }],
  ])("refuses %s: API Gateway deploys no REST API without methods", (_what, definition) => {
    const { plan } = withSettings(sampleSettings({ operationPolicies: {} }), config, definition);
    expect(plan.refusals).toEqual([
      { feature: "Operations", reason: expect.stringMatching(/refuses to deploy a REST API without methods/) },
    ]);
  });

  it("does not add it when the operations are refused for another reason", () => {
    const { plan } = withSettings(sampleSettings({ operationPolicies: {} }), config, {
      ...WEBHOOKS_ONLY,
      paths: { "/a{b}": { get: { responses: {} } } },
    });
    expect(plan.refusals.map((r) => r.feature)).toEqual(["Path /a{b}"]);
  });
});
