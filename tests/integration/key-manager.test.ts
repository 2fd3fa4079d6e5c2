import { createLocalJWKSet, jwtVerify, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "@/lib/config";
import { closeDb } from "@/lib/db/client";
import { snapshotSchema } from "@/lib/domain/gateway/snapshot";
import { hashToken } from "@/lib/crypto/hash";
import { createApi } from "@/lib/services/apis/create-api";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApiKey, revokeApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { issueClientCredentialsToken } from "@/lib/services/keys/issue-token";
import { revokeAccessToken } from "@/lib/services/keys/revoke-access-token";
import { getJwks, rotateSigningKey } from "@/lib/services/keys/signing-keys";
import { buildSnapshot } from "@/lib/services/snapshots/build-snapshot";
import { waitForSnapshotChange } from "@/lib/services/snapshots/wait-for-change";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { decideSubscription, deleteSubscription } from "@/lib/services/subscriptions/change-subscription";
import { updateSettings } from "@/lib/services/settings/update-settings";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "@/lib/services/context";
import { adminCtx, userContext } from "../helpers";

afterAll(() => closeDb());

const PETSTORE = {
  openapi: "3.0.3",
  info: { title: "Pets", version: "1.0.0" },
  paths: {
    "/pets": { get: { responses: { "200": { description: "ok" } } } },
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

beforeAll(async () => {
  await ensureDefaults();
  publisher = await userContext(["publisher"], "km-pub");
  consumer = await userContext(["subscriber"], "km-sub");
  const context = `/km${Date.now().toString(36)}`;
  const api = await createApi(
    {
      name: "Pets",
      version: "v1",
      context,
      definition: JSON.stringify(PETSTORE),
      endpoints: { production: "http://127.0.0.1:9/pets", sandbox: null, overrides: {} },
      security: { scheme: "oauth2", apiKeyHeader: "apikey" },
      allowedTiers: ["Gold"],
    } as never,
    publisher,
  );
  apiId = api.id;
  const db = await getDb();
  const [env] = await db.select().from(environments).where(eq(environments.name, "default"));
  defaultEnvId = env.id;
}, 60_000);

describe("key manager", () => {
  it("issues ES256 tokens with the claims gateways check, verifiable with the JWKS", async () => {
    const app = await createApplication({ name: "km-app" }, consumer);
    const creds = await generateClientCredentials(app.id, { keyType: "sandbox" }, consumer);
    const token = await issueClientCredentialsToken({
      grantType: "client_credentials",
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
    });
    const { payload, protectedHeader } = await jwtVerify(token.access_token, createLocalJWKSet((await getJwks()) as { keys: JWK[] }), {
      issuer: config.tokenIssuer,
      audience: config.tokenAudience,
    });
    expect(protectedHeader.alg).toBe("ES256");
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({ sub: app.id, client_id: creds.clientId, keytype: "sandbox" });
    // No scope asked for, none granted (scopes come from subscribed APIs: see operation-scopes.test.ts).
    expect(payload.scope).toBeUndefined();
    expect(payload.jti).toBeTruthy();
    expect(payload.exp! - payload.iat!).toBe(token.expires_in);
  });

  it("answers RFC 6749 errors for a wrong secret and an unsupported grant", async () => {
    const app = await createApplication({ name: "km-app-2" }, consumer);
    const creds = await generateClientCredentials(app.id, { keyType: "production" }, consumer);
    await expect(
      issueClientCredentialsToken({ grantType: "client_credentials", clientId: creds.clientId, clientSecret: "wrong" }),
    ).rejects.toMatchObject({ error: "invalid_client", status: 401 });
    await expect(
      issueClientCredentialsToken({ grantType: "password", clientId: creds.clientId, clientSecret: creds.clientSecret }),
    ).rejects.toMatchObject({ error: "unsupported_grant_type" });
    // A regenerated secret replaces the old one.
    const again = await generateClientCredentials(app.id, { keyType: "production" }, consumer);
    expect(again.clientId).toBe(creds.clientId);
    await expect(
      issueClientCredentialsToken({ grantType: "client_credentials", clientId: creds.clientId, clientSecret: creds.clientSecret }),
    ).rejects.toMatchObject({ error: "invalid_client" });
  });

  it("keeps a rotated-out key published so that its tokens still verify", async () => {
    const app = await createApplication({ name: "km-rotate" }, consumer);
    const creds = await generateClientCredentials(app.id, {}, consumer);
    const before = await issueClientCredentialsToken({ grantType: "client_credentials", ...creds });
    const { kid } = await rotateSigningKey(adminCtx);
    const after = await issueClientCredentialsToken({ grantType: "client_credentials", ...creds });
    const jwks = createLocalJWKSet((await getJwks()) as { keys: JWK[] });
    const a = await jwtVerify(before.access_token, jwks);
    const b = await jwtVerify(after.access_token, jwks);
    expect(b.protectedHeader.kid).toBe(kid);
    expect(a.protectedHeader.kid).not.toBe(kid);
  });
});

describe("subscriptions, deployment and the gateway snapshot", () => {
  it("puts a deployed revision, its subscribers' keys and revocations in the snapshot", async () => {
    await changeLifecycle(apiId, { action: "publish" } as never, publisher);
    const revision = await createRevision(apiId, { description: "first" }, publisher);
    const before = String((await buildSnapshot(defaultEnvId)).version);
    await deployRevision(apiId, { revisionId: revision.id, environments: ["default"] }, publisher);
    expect(await waitForSnapshotChange(defaultEnvId, before, 1)).not.toBe(before);

    const app = await createApplication({ name: "km-snap" }, consumer);
    const sub = await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, consumer);
    expect(sub.status).toBe("active");
    const twice = await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, consumer);
    expect(twice).toMatchObject({ id: sub.id, created: false });
    const { key } = await createApiKey(app.id, { keyType: "production", name: "k" }, consumer);
    const creds = await generateClientCredentials(app.id, {}, consumer);
    const token = await issueClientCredentialsToken({ grantType: "client_credentials", ...creds });
    await revokeAccessToken({ token: token.access_token, ...creds });

    const snapshot = await buildSnapshot(defaultEnvId);
    expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
    const api = snapshot.apis.find((a) => a.id === apiId)!;
    expect(api).toMatchObject({
      version: "v1",
      security: ["oauth2"],
      upstream: { production: "http://127.0.0.1:9/pets" },
      isDefaultVersion: true,
    });
    expect(api.operations.map((o) => `${o.method} ${o.path}`)).toEqual(["GET /pets", "GET /pets/{id}"]);
    expect(snapshot.subscriptions).toContainEqual({ id: sub.id, applicationId: app.id, apiId, tier: "Gold", status: "active" });
    expect(snapshot.apiKeys.map((k) => k.hash)).toContain(hashToken(key));
    expect(snapshot.revokedTokenIds.length).toBeGreaterThan(0);
    expect(JSON.stringify(snapshot.jwks)).not.toMatch(/"d":/);
  });

  it("refuses bad subscriptions and nothing is created", async () => {
    const app = await createApplication({ name: "km-bad" }, consumer);
    await expect(createSubscription({ applicationId: app.id, apiId, tier: "Bronze" }, consumer)).rejects.toMatchObject({
      code: "validation_failed",
    });
    const stranger = await userContext(["subscriber"], "km-stranger");
    await expect(createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, stranger)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("waits for approval when the setting asks, and the API's publisher decides", async () => {
    await updateSettings({ subscriptionApproval: true }, adminCtx);
    try {
      const app = await createApplication({ name: "km-approval" }, consumer);
      const sub = await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, consumer);
      expect(sub.status).toBe("pending");
      const other = await userContext(["publisher"], "km-other-pub");
      await expect(decideSubscription(sub.id, "approve", other)).rejects.toMatchObject({ code: "not_found" });
      expect((await decideSubscription(sub.id, "approve", publisher)).status).toBe("active");
      expect((await decideSubscription(sub.id, "block", publisher)).status).toBe("blocked");
      await expect(decideSubscription(sub.id, "approve", publisher)).rejects.toMatchObject({ code: "invalid_transition" });
      await deleteSubscription(sub.id, consumer);
    } finally {
      await updateSettings({ subscriptionApproval: false }, adminCtx);
    }
  });

  it("drops a revoked API key from the snapshot", async () => {
    const app = await createApplication({ name: "km-keyrevoke" }, consumer);
    await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, consumer);
    const { key, record } = await createApiKey(app.id, {}, consumer);
    expect((await buildSnapshot(defaultEnvId)).apiKeys.map((k) => k.hash)).toContain(hashToken(key));
    await revokeApiKey(app.id, record.id, consumer);
    expect((await buildSnapshot(defaultEnvId)).apiKeys.map((k) => k.hash)).not.toContain(hashToken(key));
  });
});
