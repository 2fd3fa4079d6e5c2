import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFakeConnector } from "@/lib/connectors/fake/connector";
import { overrideConnector } from "@/lib/connectors/registry";
import { closeDb } from "@/lib/db/client";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { queueSettings } from "@/lib/jobs/queue";
import { startWorker } from "@/lib/jobs/worker";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { createToken } from "@/lib/services/tokens/create-token";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { getSettings } from "@/lib/services/settings/get-settings";
import { updateSettings } from "@/lib/services/settings/update-settings";
import { startOidcProvider } from "@/e2e/oidc-provider/provider";
import { adminCtx, userContext } from "../helpers";

/**
 * Every operation of the management API's own description, called through its route handler
 * with real data, and each response checked against the description: the status must be one
 * it documents, and a JSON body must validate against the schema it gives (ajv, JSON Schema
 * 2020-12 as OpenAPI 3.1 uses). A generated client trusts exactly these schemas.
 */

// Route modules import `server-only`, which throws outside Next's server build; callers here
// authenticate with bearer tokens, so the session (Next's request cookies) is never read.
vi.mock("server-only", () => ({}));
vi.mock("@/lib/auth/session", () => ({ getSessionActor: async () => null }));

type Json = Record<string, unknown>;
type Operation = { responses: Record<string, { content?: Record<string, { schema?: Json }> }> };
const doc = buildOpenApiDocument("test") as { paths: Record<string, Record<string, Operation>> };
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
// The description's own vocabulary: "password" marks a secret string.
ajv.addFormat("password", true);
ajv.addSchema(doc, "openapi.json");

const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** The route module that serves a documented path, and the route params of a concrete path. */
function routeFor(docPath: string): { file: string; dynamic: string[] } {
  const segments = docPath.split("/").filter(Boolean);
  // /subscriptions/{id}/approve|reject|block|unblock share one handler.
  if (/^\/api\/v1\/subscriptions\/\{id\}\/(approve|reject|block|unblock)$/.test(docPath)) segments[segments.length - 1] = "{decision}";
  const dirs = segments.map((s) => s.replace(/^\{(.+)\}$/, "[$1]"));
  // RFC 8414 metadata is also served after the well-known name for an issuer with a path.
  if (docPath === "/.well-known/oauth-authorization-server") dirs.push("[[...issuerPath]]");
  return { file: path.resolve("app", ...dirs, "route.ts"), dynamic: segments.filter((s) => s.startsWith("{")).map((s) => s.slice(1, -1)) };
}

const covered = new Map<string, number[]>();

interface Call {
  token?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Calls one documented operation through its route handler and checks the answer against the description. */
async function call(
  method: (typeof METHODS)[number],
  docPath: string,
  options: Call = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const operation = doc.paths[docPath]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${docPath} is not documented`);
  const route = routeFor(docPath);
  expect(fs.existsSync(route.file), `${route.file} serves ${docPath}`).toBe(true);
  const mod = (await import(route.file)) as Record<
    string,
    (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>
  >;
  const handler = mod[method.toUpperCase()];
  expect(handler, `${method.toUpperCase()} exported by ${route.file}`).toBeTypeOf("function");

  const params: Record<string, string> = { ...options.params };
  if (route.dynamic.includes("decision")) params.decision = docPath.split("/").pop()!;
  let concrete = docPath;
  for (const [k, v] of Object.entries(params)) concrete = concrete.replace(`{${k}}`, encodeURIComponent(v));
  const url = new URL(`http://localhost${concrete}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(options.form).toString();
  }
  const res = await handler(new Request(url, { method: method.toUpperCase(), headers, body }), { params: Promise.resolve(params) });

  const key = `${method.toUpperCase()} ${docPath}`;
  covered.set(key, [...(covered.get(key) ?? []), res.status]);
  const text = await res.text();
  const documented = operation.responses[String(res.status)] ?? operation.responses.default;
  expect(documented, `${key} answered ${res.status}, which it does not document: ${text.slice(0, 300)}`).toBeDefined();
  const contentType = (res.headers.get("content-type") ?? "").split(";")[0].trim();
  let parsed: unknown = text;
  if (contentType.endsWith("json") && text) {
    parsed = JSON.parse(text);
    const media = documented.content?.[contentType];
    expect(media, `${key} ${res.status} answered ${contentType}, which it does not document`).toBeDefined();
    if (media?.schema) {
      const pointer = `#/paths/${escape(docPath)}/${method}/responses/${res.status in operation.responses ? res.status : "default"}/content/${escape(contentType)}/schema`;
      const validate = ajv.getSchema(`openapi.json${pointer}`) ?? ajv.compile({ $ref: `openapi.json${pointer}` });
      const ok = validate(parsed);
      expect(
        ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`),
        `${key} ${res.status} body against the description`,
      ).toEqual([]);
    }
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

let admin: string;
let approvalBefore: boolean;
let publisher: string;
let subscriber: string;

const PETSTORE = {
  openapi: "3.0.3",
  info: { title: "Pets", version: "1.0.0" },
  servers: [{ url: "http://127.0.0.1:9/pets" }],
  paths: {
    "/pets": { get: { operationId: "listPets", responses: { "200": { description: "Pets" } } } },
    "/pets/{petId}": {
      get: {
        operationId: "getPet",
        parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "A pet" } },
      },
    },
  },
};

beforeAll(async () => {
  await ensureDefaults();
  approvalBefore = (await getSettings()).subscriptionApproval;
  const tokenOf = async (roles: Parameters<typeof userContext>[0], label: string) =>
    (await createToken({ name: "openapi-test" }, await userContext(roles, label))).token;
  admin = await tokenOf(["admin", "publisher", "subscriber"], "oa-admin");
  publisher = await tokenOf(["publisher"], "oa-pub");
  subscriber = await tokenOf(["subscriber"], "oa-sub");
});

afterAll(async () => {
  // On a shared PostgreSQL database the next test files see the platform settings.
  await updateSettings({ subscriptionApproval: approvalBefore }, adminCtx);
  await closeDb();
});

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("management API responses against its OpenAPI description", () => {
  it("answers every documented operation as described", async () => {
    const suffix = randomUUID().slice(0, 8);
    const as = (token: string) => ({ token });

    // System, account, users, audit, settings.
    await call("get", "/api/health");
    await call("get", "/api/v1/me", as(admin));
    await call("get", "/api/v1/me");
    const created = (await call("post", "/api/v1/tokens", { ...as(admin), json: { name: "spare", expiresInDays: 1 } })).body as {
      id: string;
    };
    await call("get", "/api/v1/tokens", as(admin));
    await call("delete", "/api/v1/tokens/{id}", { ...as(admin), params: { id: created.id } });
    await call("delete", "/api/v1/tokens/{id}", { ...as(admin), params: { id: "tok_missing" } });
    const user = (
      await call("post", "/api/v1/users", {
        ...as(admin),
        json: { email: `oa-${suffix}@example.test`, roles: ["subscriber"], password: "correct-horse-42" },
      })
    ).body as { user?: { id: string }; id?: string };
    const userId = user.user?.id ?? user.id!;
    await call("get", "/api/v1/users", { ...as(admin), query: { pageSize: "5" } });
    await call("get", "/api/v1/users", as(subscriber));
    await call("get", "/api/v1/users/{id}", { ...as(admin), params: { id: userId } });
    await call("patch", "/api/v1/users/{id}", { ...as(admin), params: { id: userId }, json: { name: "Renamed" } });
    await call("get", "/api/v1/audit", as(admin));
    await call("get", "/api/v1/settings", as(admin));
    await call("patch", "/api/v1/settings", { ...as(admin), json: { subscriptionApproval: true } });

    // APIs.
    const api = (await call("post", "/api/v1/apis", { ...as(publisher), json: { definition: PETSTORE, context: `/oa-${suffix}` } }))
      .body as { id: string };
    await call("post", "/api/v1/apis", { ...as(publisher), json: { definition: "not: [a document" } });
    await call("get", "/api/v1/apis", as(publisher));
    await call("get", "/api/v1/apis/{id}", { ...as(publisher), params: { id: api.id } });
    await call("get", "/api/v1/apis/{id}", { ...as(publisher), params: { id: "api_missing" } });
    await call("patch", "/api/v1/apis/{id}", {
      ...as(publisher),
      params: { id: api.id },
      json: { description: "Pets, described", allowedTiers: ["Gold", "Unlimited"] },
    });
    await call("get", "/api/v1/apis/{id}/definition", { ...as(publisher), params: { id: api.id } });
    await call("put", "/api/v1/apis/{id}/definition", { ...as(publisher), params: { id: api.id }, json: PETSTORE });
    await call("get", "/api/v1/apis/{id}/operations", { ...as(publisher), params: { id: api.id } });
    await call("patch", "/api/v1/apis/{id}/operations", {
      ...as(publisher),
      params: { id: api.id },
      json: { method: "GET", path: "/pets", security: null, rateLimit: { requests: 10, unit: "second", burst: 10 } },
    });
    await call("get", "/api/v1/apis/{id}/lifecycle", { ...as(publisher), params: { id: api.id } });
    const revision = (
      await call("post", "/api/v1/apis/{id}/revisions", { ...as(publisher), params: { id: api.id }, json: { description: "first" } })
    ).body as { id: string };
    const second = (await call("post", "/api/v1/apis/{id}/revisions", { ...as(publisher), params: { id: api.id }, json: {} })).body as {
      id: string;
    };
    await call("get", "/api/v1/apis/{id}/revisions", { ...as(publisher), params: { id: api.id } });
    await call("get", "/api/v1/apis/{id}/revisions/compare", {
      ...as(publisher),
      params: { id: api.id },
      query: { from: revision.id, to: "current" },
    });
    await call("get", "/api/v1/apis/{id}/revisions/{revisionId}", { ...as(publisher), params: { id: api.id, revisionId: revision.id } });
    await call("post", "/api/v1/apis/{id}/revisions/{revisionId}/restore", {
      ...as(publisher),
      params: { id: api.id, revisionId: revision.id },
    });
    await call("delete", "/api/v1/apis/{id}/revisions/{revisionId}", { ...as(publisher), params: { id: api.id, revisionId: second.id } });
    const document = (
      await call("post", "/api/v1/apis/{id}/documents", {
        ...as(publisher),
        params: { id: api.id },
        json: { title: "Guide", kind: "how-to", sourceType: "markdown", content: "# Hello" },
      })
    ).body as { id: string };
    await call("get", "/api/v1/apis/{id}/documents", { ...as(publisher), params: { id: api.id } });
    await call("get", "/api/v1/apis/{id}/documents/{documentId}", { ...as(publisher), params: { id: api.id, documentId: document.id } });
    await call("patch", "/api/v1/apis/{id}/documents/{documentId}", {
      ...as(publisher),
      params: { id: api.id, documentId: document.id },
      json: { title: "The guide" },
    });
    const version = (
      await call("post", "/api/v1/apis/{id}/versions", {
        ...as(publisher),
        params: { id: api.id },
        json: { version: "2.0.0", context: `/oa2-${suffix}` },
      })
    ).body as { id: string };
    await call("delete", "/api/v1/apis/{id}", { ...as(publisher), params: { id: version.id } });

    // Environments, tiers, deployments, jobs.
    const envName = `oa-${suffix}`;
    await call("post", "/api/v1/environments", {
      ...as(admin),
      json: { name: envName, type: "builtin", displayName: "OpenAPI test", publicUrls: ["http://127.0.0.1:9"] },
    });
    await call("post", "/api/v1/environments", { ...as(admin), json: { name: "Bad Name", type: "builtin" } });
    await call("get", "/api/v1/environments", as(admin));
    await call("get", "/api/v1/environments", as(publisher));
    await call("get", "/api/v1/environments/{name}", { ...as(admin), params: { name: envName } });
    await call("get", "/api/v1/environments/{name}", { ...as(publisher), params: { name: envName } });
    await call("patch", "/api/v1/environments/{name}", {
      ...as(admin),
      params: { name: envName },
      json: { description: "For the description's own test" },
    });
    await call("post", "/api/v1/environments/{name}/test", { ...as(admin), params: { name: envName } });
    const gatewayToken = (
      (await call("post", "/api/v1/environments/{name}/token", { ...as(admin), params: { name: envName } })).body as { token: string }
    ).token;
    await call("get", "/api/v1/environments/{name}/instances", { ...as(admin), params: { name: envName } });
    await call("get", "/api/v1/environments/{name}/propagation", { ...as(admin), params: { name: envName } });
    const named = (
      await call("post", "/api/v1/environments/{name}/tokens", { ...as(admin), params: { name: envName }, json: { name: "replica-b" } })
    ).body as { id: string };
    await call("post", "/api/v1/environments/{name}/tokens", { ...as(admin), params: { name: envName }, json: { name: "replica-b" } });
    await call("get", "/api/v1/environments/{name}/tokens", { ...as(admin), params: { name: envName } });
    await call("delete", "/api/v1/environments/{name}/tokens/{id}", { ...as(admin), params: { name: envName, id: named.id } });
    await call("delete", "/api/v1/environments/{name}/tokens/{id}", { ...as(admin), params: { name: envName, id: "gwt_missing" } });
    await call("post", "/api/v1/tiers", {
      ...as(admin),
      json: { name: `Oa${suffix}`, displayName: "OpenAPI tier", requests: 5, unit: "second", burst: 5 },
    });
    await call("get", "/api/v1/tiers", as(admin));
    await call("get", "/api/v1/tiers/{name}", { ...as(admin), params: { name: `Oa${suffix}` } });
    await call("patch", "/api/v1/tiers/{name}", {
      ...as(admin),
      params: { name: `Oa${suffix}` },
      json: { displayName: "OpenAPI tier, renamed" },
    });
    await call("delete", "/api/v1/tiers/{name}", { ...as(admin), params: { name: `Oa${suffix}` } });
    await call("post", "/api/v1/apis/{id}/deployments/plan", {
      ...as(publisher),
      params: { id: api.id },
      json: { revisionId: revision.id, environments: [envName] },
    });
    await call("post", "/api/v1/apis/{id}/deployments", {
      ...as(publisher),
      params: { id: api.id },
      json: { revisionId: revision.id, environments: [envName] },
    });
    const deployments = (await call("get", "/api/v1/apis/{id}/deployments", { ...as(publisher), params: { id: api.id } })).body as
      { items: Array<{ id: string }> } | Array<{ id: string }>;
    const deploymentId = (Array.isArray(deployments) ? deployments : deployments.items)[0].id;
    await call("get", "/api/v1/deployments/{id}", { ...as(publisher), params: { id: deploymentId } });
    await call("post", "/api/v1/apis/{id}/lifecycle", { ...as(publisher), params: { id: api.id }, json: { action: "publish" } });

    // Gateway sync, with the environment's gateway token.
    const snapshot = await call("get", "/api/gateway/v1/snapshot", as(gatewayToken));
    await call("get", "/api/gateway/v1/snapshot", {
      ...as(gatewayToken),
      headers: { "if-none-match": snapshot.headers.get("etag") ?? "" },
    });
    await call("get", "/api/gateway/v1/snapshot", as("not-a-token"));
    await call("post", "/api/gateway/v1/heartbeat", {
      ...as(gatewayToken),
      json: { instanceId: "gw-oa-1", region: "local", appliedVersion: "1", startedAt: new Date().toISOString() },
    });
    const batch = {
      batchId: randomUUID(),
      events: [
        {
          id: randomUUID(),
          time: new Date().toISOString(),
          environment: envName,
          instanceId: "gw-oa-1",
          region: null,
          apiId: api.id,
          operation: "GET /pets",
          applicationId: null,
          keyType: null,
          method: "GET",
          path: "/pets",
          status: 200,
          latencyMs: 3,
          upstreamLatencyMs: 2,
          requestBytes: 0,
          responseBytes: 10,
        },
      ],
    };
    await call("post", "/api/gateway/v1/events", { ...as(gatewayToken), json: batch });
    await call("post", "/api/gateway/v1/events", { ...as(gatewayToken), json: batch });
    await call("post", "/api/gateway/v1/events", { ...as(gatewayToken), json: { batchId: "nope" } });

    // Analytics.
    await call("get", "/api/v1/analytics/summary", as(admin));
    await call("get", "/api/v1/analytics/timeseries", { ...as(admin), query: { groupBy: "apiId" } });

    // Developer portal: catalog, applications, keys, tokens, subscriptions.
    await call("get", "/api/v1/catalog");
    await call("get", "/api/v1/catalog", as(subscriber));
    await call("get", "/api/v1/catalog/{apiId}", { ...as(subscriber), params: { apiId: api.id } });
    await call("get", "/api/v1/catalog/{apiId}", { ...as(subscriber), params: { apiId: "api_missing" } });
    await call("get", "/api/v1/catalog/{apiId}/definition", { ...as(subscriber), params: { apiId: api.id } });
    await call("get", "/api/v1/catalog/{apiId}/documents", { ...as(subscriber), params: { apiId: api.id } });
    const app = (await call("post", "/api/v1/applications", { ...as(subscriber), json: { name: `OpenAPI app ${suffix}` } })).body as {
      id: string;
    };
    await call("get", "/api/v1/applications", as(subscriber));
    await call("get", "/api/v1/applications/{id}", { ...as(subscriber), params: { id: app.id } });
    await call("patch", "/api/v1/applications/{id}", { ...as(subscriber), params: { id: app.id }, json: { description: "Calls pets" } });
    const client = (
      await call("post", "/api/v1/applications/{id}/keys", { ...as(subscriber), params: { id: app.id }, json: { keyType: "production" } })
    ).body as { clientId: string; clientSecret: string };
    const apiKey = (
      await call("post", "/api/v1/applications/{id}/api-keys", { ...as(subscriber), params: { id: app.id }, json: { name: "ci" } })
    ).body as { id: string };
    await call("get", "/api/v1/applications/{id}/api-keys", { ...as(subscriber), params: { id: app.id } });
    await call("delete", "/api/v1/applications/{id}/api-keys/{keyId}", { ...as(subscriber), params: { id: app.id, keyId: apiKey.id } });
    const subscription = (
      await call("post", "/api/v1/subscriptions", { ...as(subscriber), json: { applicationId: app.id, apiId: api.id, tier: "Gold" } })
    ).body as { id: string };
    await call("get", "/api/v1/subscriptions", as(subscriber));
    await call("get", "/api/v1/subscriptions", { ...as(publisher), query: { view: "approvals" } });
    await call("post", "/api/v1/subscriptions/{id}/approve", { ...as(publisher), params: { id: subscription.id } });
    await call("post", "/api/v1/subscriptions/{id}/block", { ...as(publisher), params: { id: subscription.id } });
    await call("post", "/api/v1/subscriptions/{id}/unblock", { ...as(publisher), params: { id: subscription.id } });
    const otherApp = (await call("post", "/api/v1/applications", { ...as(subscriber), json: { name: `OpenAPI app 2 ${suffix}` } }))
      .body as { id: string };
    const refused = (
      await call("post", "/api/v1/subscriptions", { ...as(subscriber), json: { applicationId: otherApp.id, apiId: api.id, tier: "Gold" } })
    ).body as { id: string };
    await call("post", "/api/v1/subscriptions/{id}/reject", { ...as(publisher), params: { id: refused.id } });
    await call("post", "/api/v1/applications/{id}/token", { ...as(subscriber), params: { id: app.id }, json: { keyType: "production" } });

    // The key manager.
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64")}`;
    const issued = (await call("post", "/oauth2/token", { headers: { authorization: basic }, form: { grant_type: "client_credentials" } }))
      .body as { access_token: string };
    await call("post", "/oauth2/token", { headers: { authorization: basic }, form: { grant_type: "password" } });
    await call("post", "/oauth2/revoke", { headers: { authorization: basic }, form: { token: issued.access_token } });
    await call("get", "/oauth2/jwks");
    await call("get", "/.well-known/openid-configuration");
    await call("get", "/.well-known/oauth-authorization-server");
    await call("post", "/api/v1/keys/rotate", as(admin));

    // External key managers, against a real OpenID provider on this machine.
    const idp = await startOidcProvider();
    const privateBefore = process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
    process.env.MERIDIAN_ALLOW_PRIVATE_URLS = "true";
    try {
      const km = (
        await call("post", "/api/v1/key-managers", {
          ...as(admin),
          json: { name: `oa-idp-${suffix}`, issuer: idp.issuer, audiences: [idp.audience], registrationToken: idp.initialAccessToken },
        })
      ).body as { id: string };
      await call("post", "/api/v1/key-managers", {
        ...as(admin),
        json: { name: `oa-bad-${suffix}`, issuer: "http://127.0.0.1:9", audiences: ["x"] },
      });
      await call("get", "/api/v1/key-managers", as(admin));
      await call("get", "/api/v1/key-managers/{id}", { ...as(admin), params: { id: km.id } });
      await call("get", "/api/v1/key-managers/{id}", { ...as(admin), params: { id: "kmg_missing" } });
      await call("patch", "/api/v1/key-managers/{id}", { ...as(admin), params: { id: km.id }, json: { description: "Described" } });
      await call("post", "/api/v1/key-managers/{id}/test", { ...as(admin), params: { id: km.id } });
      await call("get", "/api/v1/apis/{id}/key-managers", { ...as(publisher), params: { id: api.id } });
      await call("put", "/api/v1/environments/{name}/key-managers", {
        ...as(admin),
        params: { name: envName },
        json: { keyManagerIds: ["builtin", km.id] },
      });
      await call("get", "/api/v1/environments/{name}/key-managers", { ...as(admin), params: { name: envName } });
      await call("put", "/api/v1/environments/{name}/key-managers", {
        ...as(admin),
        params: { name: envName },
        json: { keyManagerIds: [] },
      });
      await call("put", "/api/v1/apis/{id}/key-managers", {
        ...as(publisher),
        params: { id: api.id },
        json: { keyManagerIds: ["builtin", km.id] },
      });
      const kmClient = (
        await call("post", "/api/v1/applications/{id}/key-manager-clients", {
          ...as(subscriber),
          params: { id: app.id },
          json: { keyManagerId: km.id },
        })
      ).body as { id: string };
      await call("post", "/api/v1/applications/{id}/key-manager-clients", {
        ...as(subscriber),
        params: { id: app.id },
        json: { keyManagerId: km.id },
      });
      await call("get", "/api/v1/applications/{id}/key-manager-clients", { ...as(subscriber), params: { id: app.id } });
      await call("post", "/api/v1/applications/{id}/key-manager-clients/{clientId}/rotate", {
        ...as(subscriber),
        params: { id: app.id, clientId: kmClient.id },
      });
      await call("post", "/api/v1/applications/{id}/key-manager-clients/{clientId}/token", {
        ...as(subscriber),
        params: { id: app.id, clientId: kmClient.id },
      });
      await call("delete", "/api/v1/applications/{id}/key-manager-clients/{clientId}", {
        ...as(subscriber),
        params: { id: app.id, clientId: kmClient.id },
      });
      await call("delete", "/api/v1/applications/{id}/key-manager-clients/{clientId}", {
        ...as(subscriber),
        params: { id: app.id, clientId: "kmc_missing" },
      });
      await call("put", "/api/v1/apis/{id}/key-managers", {
        ...as(publisher),
        params: { id: api.id },
        json: { keyManagerIds: ["builtin"] },
      });
      await call("delete", "/api/v1/key-managers/{id}", { ...as(admin), params: { id: km.id } });
      await call("delete", "/api/v1/key-managers/{id}", { ...as(admin), params: { id: "builtin" } });
    } finally {
      if (privateBefore === undefined) delete process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
      else process.env.MERIDIAN_ALLOW_PRIVATE_URLS = privateBefore;
      await idp.close();
    }

    // Discovery, on a Kong environment whose connector is a fake listing one API.
    const fake = createFakeConnector("kong");
    const restore = overrideConnector(fake);
    queueSettings.pollMs = 20;
    const worker = startWorker({ tasks: [], handlers: JOB_HANDLERS, concurrency: 1 });
    try {
      const kongEnv = `oa-kong-${suffix}`;
      await call("post", "/api/v1/environments", {
        ...as(admin),
        json: { name: kongEnv, type: "kong", mode: "read-only", config: { adminUrl: "http://127.0.0.1:9" } },
      });
      const definition = {
        openapi: "3.0.3",
        info: { title: "Found", version: "v1" },
        paths: { "/found": { get: { responses: { "200": { description: "ok" } } } } },
      };
      fake.remote.set("found", {
        externalId: "found",
        name: "Found",
        version: "v1",
        context: `/found-${suffix}`,
        definition,
        upstreams: ["http://127.0.0.1:9/found"],
        contentHash: "1",
      });
      const job = (await call("post", "/api/v1/environments/{name}/discover", { ...as(admin), params: { name: kongEnv } })).body as {
        id?: string;
        jobId?: string;
      };
      const jobId = job.id ?? job.jobId!;
      await until(
        async () => (await call("get", "/api/v1/jobs/{id}", { ...as(admin), params: { id: jobId } })).body as { status: string },
        (j) => j.status === "succeeded",
      );
      const discovered = (await call("get", "/api/v1/environments/{name}/discovered", { ...as(admin), params: { name: kongEnv } }))
        .body as { items: Array<{ id: string }> };
      await call("post", "/api/v1/environments/{name}/discovered/{discoveredId}/import", {
        ...as(admin),
        params: { name: kongEnv, discoveredId: discovered.items[0].id },
      });
      await call("post", "/api/v1/environments/{name}/discovered/{discoveredId}/import", {
        ...as(admin),
        params: { name: kongEnv, discoveredId: "dsc_missing" },
      });
    } finally {
      await worker.stop();
      restore();
    }
    await call("get", "/api/v1/jobs/{id}", { ...as(admin), params: { id: "job_missing" } });

    // APIs as code: the project file's schema, plan, apply (twice: the second changes nothing), export, and a file with errors.
    await call("get", "/api/v1/schemas/project.json");
    const projectBody = {
      project: `apiVersion: meridian/v1\napis:\n  - name: Code ${suffix}\n    version: v1\n    context: /code-${suffix}\n    definition: pets.json\n`,
      files: { "pets.json": JSON.stringify(PETSTORE) },
    };
    await call("post", "/api/v1/project/plan", { ...as(publisher), json: projectBody });
    await call("post", "/api/v1/project/plan", { ...as(publisher), json: { project: "apiVersion: meridian/v1\napis:\n  - name: x\n" } });
    await call("post", "/api/v1/project/apply", { ...as(publisher), json: projectBody });
    await call("post", "/api/v1/project/apply", { ...as(subscriber), json: projectBody });
    await call("get", "/api/v1/project/export", { ...as(publisher), query: { api: `Code ${suffix}@v1` } });
    await call("get", "/api/v1/project/export", { ...as(publisher), query: { api: "Nothing@v0" } });

    // Drift, on a read-write Kong environment whose fake connector reads back what "runs" there.
    {
      const driftFake = createFakeConnector("kong");
      let live: Record<string, unknown> = { paths: { "/pets": {} } };
      Object.assign(driftFake, {
        readLive: async () => ({ exists: true, artifacts: [{ kind: "openapi", name: "api", format: "json", content: live }] }),
      });
      const restoreDrift = overrideConnector(driftFake);
      queueSettings.pollMs = 20;
      const driftWorker = startWorker({ tasks: [], handlers: JOB_HANDLERS, concurrency: 1 });
      try {
        const kongRw = `oa-kongrw-${suffix}`;
        await call("post", "/api/v1/environments", {
          ...as(admin),
          json: { name: kongRw, type: "kong", mode: "read-write", config: { adminUrl: "http://127.0.0.1:9" } },
        });
        const deployedBody = {
          ...projectBody,
          project: `${projectBody.project}deployments:\n  - api: Code ${suffix}\n    environments: [${kongRw}]\n`,
        };
        const applied = (await call("post", "/api/v1/project/apply", { ...as(publisher), json: deployedBody })).body as {
          deployments: Array<{ id: string }>;
        };
        const depId = applied.deployments[0].id;
        const dep = { ...as(publisher), params: { id: depId } };
        await until(
          async () => (await call("get", "/api/v1/deployments/{id}", dep)).body as { status: string },
          (d) => d.status === "deployed",
        );
        await call("get", "/api/v1/deployments/{id}/drift", dep);
        await call("get", "/api/v1/deployments/{id}/drift", { ...as(publisher), params: { id: "dep_missing" } });
        live = { ...PETSTORE, paths: { ...PETSTORE.paths, "/extra": { get: { responses: { "200": { description: "ok" } } } } } };
        expect(((await call("post", "/api/v1/deployments/{id}/drift", dep)).body as { state: string }).state).toBe("drifted");
        await call("get", "/api/v1/environments/{name}/drift", { ...as(admin), params: { name: kongRw } });
        await call("get", "/api/v1/environments/{name}", { ...as(admin), params: { name: kongRw } });
        await call("post", "/api/v1/environments/{name}/drift", { ...as(admin), params: { name: kongRw } });
        await call("post", "/api/v1/environments/{name}/drift", { ...as(admin), params: { name: envName } });
        await call("get", "/api/v1/metrics", as(admin));
        await call("get", "/api/v1/metrics", as(subscriber));
        await call("post", "/api/v1/deployments/{id}/adopt", dep);
        await call("post", "/api/v1/deployments/{id}/adopt", dep);
        await call("post", "/api/v1/deployments/{id}/reapply", dep);
        await until(
          async () => (await call("get", "/api/v1/deployments/{id}", dep)).body as { status: string },
          (d) => d.status === "deployed",
        );
      } finally {
        await driftWorker.stop();
        restoreDrift();
      }
    }

    // Clean-up calls are operations too.
    await call("delete", "/api/v1/subscriptions/{id}", { ...as(subscriber), params: { id: subscription.id } });
    await call("delete", "/api/v1/apis/{id}/deployments/{environment}", { ...as(publisher), params: { id: api.id, environment: envName } });
    await call("delete", "/api/v1/apis/{id}/documents/{documentId}", { ...as(publisher), params: { id: api.id, documentId: document.id } });
    await call("delete", "/api/v1/applications/{id}", { ...as(subscriber), params: { id: app.id } });
    await call("delete", "/api/v1/environments/{name}/token", { ...as(admin), params: { name: envName } });
    await call("delete", "/api/v1/environments/{name}", { ...as(admin), params: { name: envName } });
    await call("delete", "/api/v1/apis/{id}", { ...as(publisher), params: { id: api.id } });

    const documentedOps = Object.entries(doc.paths).flatMap(([p, item]) =>
      METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documentedOps.filter((op) => !covered.has(op))).toEqual([]);
    // Every operation is seen succeeding, not only refusing.
    const succeeded = documentedOps.filter((op) => covered.get(op)!.some((s) => s < 400));
    expect(documentedOps.filter((op) => !succeeded.includes(op))).toEqual([]);
  }, 120_000);
});
