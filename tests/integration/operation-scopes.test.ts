import fs from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type RunningGateway } from "@/gateway/gateway";
import { startBackend } from "@/gateway/tests/support/backend";
import { FakeControlPlane } from "@/gateway/tests/support/fake-control-plane";
import { tempDir, testConfig, waitFor } from "@/gateway/tests/support/harness";
import { closeDb, getDb } from "@/lib/db/client";
import { apiRevisions, environments } from "@/lib/db/schema";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { listOperations } from "@/lib/services/apis/list-operations";
import { restoreRevision } from "@/lib/services/apis/restore-revision";
import { updateOperationPolicy } from "@/lib/services/apis/update-operation";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateAccessToken } from "@/lib/services/applications/generate-access-token";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { issueClientCredentialsToken } from "@/lib/services/keys/issue-token";
import { updateSettings } from "@/lib/services/settings/update-settings";
import { buildSnapshot } from "@/lib/services/snapshots/build-snapshot";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { decideSubscription } from "@/lib/services/subscriptions/change-subscription";
import { adminCtx, userContext } from "../helpers";

/**
 * Scopes per operation, end to end without a browser: from the document and the publisher, into
 * revisions and the gateway snapshot, through the token endpoint (granted only from subscribed
 * APIs) to the built-in gateway (403 insufficient_scope without them, 200 with them).
 */

const PETS = {
  openapi: "3.0.3",
  info: { title: "Pets", version: "1.0.0" },
  components: {
    securitySchemes: {
      oauth: {
        type: "oauth2",
        flows: { clientCredentials: { tokenUrl: "https://x.example/token", scopes: { "pets:read": "", "pets:write": "" } } },
      },
    },
  },
  paths: {
    "/pets": {
      get: { security: [{ oauth: ["pets:read"] }], responses: { "200": { description: "ok" } } },
      post: { responses: { "201": { description: "created" } } },
    },
    "/pets/{id}": {
      get: {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
      },
    },
  },
};

let publisher: ServiceContext;
let consumer: ServiceContext;
let apiId: string;
let defaultEnvId: string;
let revisionId: string;

beforeAll(async () => {
  await ensureDefaults();
  publisher = await userContext(["publisher"], "scope-pub");
  consumer = await userContext(["subscriber"], "scope-sub");
  const api = await createApi(
    {
      name: "Scoped pets",
      version: "v1",
      context: `/scoped${Date.now().toString(36)}`,
      definition: JSON.stringify(PETS),
      endpoints: { production: "http://127.0.0.1:9/pets", sandbox: null, overrides: {} },
      security: { scheme: "oauth2", apiKeyHeader: "apikey" },
      allowedTiers: ["Gold"],
    },
    publisher,
  );
  apiId = api.id;
  const db = await getDb();
  const [env] = await db.select().from(environments).where(eq(environments.name, "default"));
  defaultEnvId = env.id;
}, 60_000);

afterAll(() => closeDb());

describe("scopes of operations", () => {
  it("reads scopes from the document's security requirements on import", async () => {
    const { items } = await listOperations(apiId, {}, publisher);
    expect(items.map((o) => [o.method, o.path, o.documentScopes, o.scopes])).toEqual([
      ["get", "/pets", ["pets:read"], null],
      ["post", "/pets", [], null],
      ["get", "/pets/{id}", [], null],
    ]);
  });

  it("lets the publisher assign scopes to an operation, and refuses them where no token is asked for", async () => {
    const op = await updateOperationPolicy(
      apiId,
      { method: "post", path: "/pets", security: null, rateLimit: null, scopes: ["pets:write", "pets:write", "pets:admin"] },
      publisher,
    );
    expect(op.scopes).toEqual(["pets:admin", "pets:write"]);
    // Saving the security and limit alone keeps the scopes.
    expect(
      (await updateOperationPolicy(apiId, { method: "post", path: "/pets", security: "oauth2", rateLimit: null }, publisher)).scopes,
    ).toEqual(["pets:admin", "pets:write"]);
    await expect(
      updateOperationPolicy(
        apiId,
        { method: "get", path: "/pets/{id}", security: "apiKey", rateLimit: null, scopes: ["pets:read"] },
        publisher,
      ),
    ).rejects.toMatchObject({ code: "validation_failed", fieldErrors: { scopes: expect.any(String) } });
    await expect(
      updateOperationPolicy(
        apiId,
        { method: "get", path: "/pets/{id}", security: null, rateLimit: null, scopes: ["two words"] },
        publisher,
      ),
    ).rejects.toMatchObject({ code: "validation_failed" });
    const stranger = await userContext(["publisher"], "scope-stranger");
    await expect(
      updateOperationPolicy(apiId, { method: "post", path: "/pets", security: null, rateLimit: null, scopes: [] }, stranger),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("records the scopes in the revision and carries them in the snapshot of the environment", async () => {
    await changeLifecycle(apiId, { action: "publish" }, publisher);
    const revision = await createRevision(apiId, { description: "scoped" }, publisher);
    revisionId = revision.id;
    const db = await getDb();
    const [row] = await db.select().from(apiRevisions).where(eq(apiRevisions.id, revision.id));
    expect(row.settings.operationPolicies).toMatchObject({
      "GET /pets": { scopes: ["pets:read"] },
      "POST /pets": { security: "oauth2", scopes: ["pets:admin", "pets:write"] },
    });
    expect(row.settings.operationPolicies["GET /pets/{id}"]).toBeUndefined();
    await deployRevision(apiId, { revisionId: revision.id, environments: ["default"] }, publisher);
    const snapshot = await buildSnapshot(defaultEnvId);
    const api = snapshot.apis.find((a) => a.id === apiId)!;
    expect(api.operations).toEqual([
      { method: "GET", path: "/pets", scopes: ["pets:read"] },
      { method: "POST", path: "/pets", security: ["oauth2"], scopes: ["pets:admin", "pets:write"] },
      { method: "GET", path: "/pets/{id}" },
    ]);
  });
});

describe("the token endpoint grants only scopes of subscribed APIs", () => {
  it("refuses scopes of an API the application is not subscribed to, with invalid_scope", async () => {
    const app = await createApplication({ name: "scope-unsubscribed" }, consumer);
    const creds = await generateClientCredentials(app.id, {}, consumer);
    await expect(issueClientCredentialsToken({ grantType: "client_credentials", ...creds, scope: "pets:read" })).rejects.toMatchObject({
      error: "invalid_scope",
      status: 400,
    });
    // Without a scope the token carries none, as before.
    const plain = await issueClientCredentialsToken({ grantType: "client_credentials", ...creds });
    expect(plain.scope).toBeUndefined();
  });

  it("grants the scopes an active subscription's API defines, and refuses any other", async () => {
    const app = await createApplication({ name: "scope-subscribed" }, consumer);
    await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, consumer);
    const creds = await generateClientCredentials(app.id, {}, consumer);
    const token = await issueClientCredentialsToken({ grantType: "client_credentials", ...creds, scope: "pets:write pets:read" });
    expect(token.scope).toBe("pets:write pets:read");
    const error = await issueClientCredentialsToken({
      grantType: "client_credentials",
      ...creds,
      scope: "pets:read admin:everything",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ error: "invalid_scope", description: expect.stringContaining("admin:everything") });
    await expect(
      issueClientCredentialsToken({ grantType: "client_credentials", ...creds, scope: "pets:read  pets:write" }),
    ).rejects.toMatchObject({ error: "invalid_scope" });
    // The portal's token generator grants the same way.
    expect((await generateAccessToken(app.id, { scope: "pets:admin" }, consumer)).scope).toBe("pets:admin");
    await expect(generateAccessToken(app.id, { scope: "other:thing" }, consumer)).rejects.toMatchObject({
      code: "validation_failed",
      fieldErrors: { scope: expect.stringContaining("other:thing") },
    });
  });

  it("grants nothing for a subscription that awaits approval", async () => {
    await updateSettings({ subscriptionApproval: true }, adminCtx);
    try {
      const app = await createApplication({ name: "scope-pending" }, consumer);
      const sub = await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, consumer);
      expect(sub.status).toBe("pending");
      const creds = await generateClientCredentials(app.id, {}, consumer);
      await expect(issueClientCredentialsToken({ grantType: "client_credentials", ...creds, scope: "pets:read" })).rejects.toMatchObject({
        error: "invalid_scope",
      });
      await decideSubscription(sub.id, "approve", publisher);
      expect((await issueClientCredentialsToken({ grantType: "client_credentials", ...creds, scope: "pets:read" })).scope).toBe(
        "pets:read",
      );
    } finally {
      await updateSettings({ subscriptionApproval: false }, adminCtx);
    }
  });

  it("keeps granting a scope the deployed revision requires after the working copy dropped it", async () => {
    const app = await createApplication({ name: "scope-deployed" }, consumer);
    await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, consumer);
    const creds = await generateClientCredentials(app.id, {}, consumer);
    await updateOperationPolicy(
      apiId,
      { method: "post", path: "/pets", security: "oauth2", rateLimit: null, scopes: ["pets:write"] },
      publisher,
    );
    expect((await issueClientCredentialsToken({ grantType: "client_credentials", ...creds, scope: "pets:admin" })).scope).toBe(
      "pets:admin",
    );
    // Restoring the revision brings its scopes back as they were recorded.
    await restoreRevision(apiId, revisionId, publisher);
    const { items } = await listOperations(apiId, {}, publisher);
    expect(items.find((o) => o.method === "post")?.scopes).toEqual(["pets:admin", "pets:write"]);
    expect(items.find((o) => o.path === "/pets" && o.method === "get")?.scopes).toBeNull();
  });
});

describe("the built-in gateway enforces the snapshot's scopes", () => {
  let cp: FakeControlPlane;
  let backend: Awaited<ReturnType<typeof startBackend>>;
  let gateway: RunningGateway;
  let cacheDir: string;
  let context: string;
  let tokens: { none: string; read: string; write: string };

  beforeAll(async () => {
    backend = await startBackend();
    const api = await createApi(
      {
        name: "Gateway scoped",
        version: "v1",
        context: `/gwscoped${Date.now().toString(36)}`,
        definition: JSON.stringify(PETS),
        endpoints: { production: `${backend.url}/pets`, sandbox: null, overrides: {} },
        security: { scheme: "oauth2", apiKeyHeader: "apikey" },
        allowedTiers: ["Gold"],
      },
      publisher,
    );
    context = api.context;
    await updateOperationPolicy(
      api.id,
      { method: "post", path: "/pets", security: null, rateLimit: null, scopes: ["pets:write"] },
      publisher,
    );
    await changeLifecycle(api.id, { action: "publish" }, publisher);
    const revision = await createRevision(api.id, { description: "gateway" }, publisher);
    await deployRevision(api.id, { revisionId: revision.id, environments: ["default"] }, publisher);
    const app = await createApplication({ name: "scope-gateway" }, consumer);
    await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, consumer);
    const snapshot = await buildSnapshot(defaultEnvId);
    cp = new FakeControlPlane();
    await cp.start();
    cp.publish(snapshot);
    cacheDir = tempDir();
    gateway = await startGateway(testConfig(cp, cacheDir, { environment: "default" }));
    await waitFor(() => gateway.appliedVersion() === snapshot.version);
    const creds = await generateClientCredentials(app.id, {}, consumer);
    tokens = {
      none: (await issueClientCredentialsToken({ grantType: "client_credentials", ...creds })).access_token,
      read: (await issueClientCredentialsToken({ grantType: "client_credentials", ...creds, scope: "pets:read" })).access_token,
      write: (await issueClientCredentialsToken({ grantType: "client_credentials", ...creds, scope: "pets:write" })).access_token,
    };
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await cp?.stop();
    await backend?.close();
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  const call = (path: string, token: string, method = "GET") =>
    fetch(`${gateway.url}${context}/v1${path}`, { method, headers: { authorization: `Bearer ${token}` } });

  it("answers 403 insufficient_scope with a Bearer challenge naming the scopes, and 200 with them", async () => {
    const refused = await call("/pets", tokens.read, "POST");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="pets:write"');
    expect((await refused.json()).code).toBe("insufficient_scope");
    expect((await call("/pets", tokens.write, "POST")).status).toBe(200);

    // The scope from the document guards GET /pets; an operation without scopes takes any token.
    expect((await call("/pets", tokens.none)).status).toBe(403);
    expect((await call("/pets", tokens.read)).status).toBe(200);
    expect((await call("/pets/7", tokens.none)).status).toBe(200);
  });
});
