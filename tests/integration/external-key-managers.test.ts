import fs from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcProvider, type RunningOidcProvider } from "@/e2e/oidc-provider/provider";
import { startGateway, type RunningGateway } from "@/gateway/gateway";
import { startBackend } from "@/gateway/tests/support/backend";
import { FakeControlPlane } from "@/gateway/tests/support/fake-control-plane";
import { tempDir, testConfig, waitFor } from "@/gateway/tests/support/harness";
import { CLOCK_SKEW_SECONDS } from "@/gateway/auth/jwt-verifier";
import { decryptSecret } from "@/lib/crypto/secrets";
import { closeDb, getDb } from "@/lib/db/client";
import { auditEntries, environments, keyManagerClients, keyManagers } from "@/lib/db/schema";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApplication } from "@/lib/services/applications/create-application";
import { deleteApplication } from "@/lib/services/applications/delete-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { planDeployment } from "@/lib/services/deployments/plan-deployment";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { issueClientCredentialsToken } from "@/lib/services/keys/issue-token";
import { getApiKeyManagers, setApiKeyManagers } from "@/lib/services/key-managers/api-key-managers";
import { createKeyManager } from "@/lib/services/key-managers/create-key-manager";
import { deleteKeyManager } from "@/lib/services/key-managers/delete-key-manager";
import { getEnvironmentKeyManagers, setEnvironmentKeyManagers } from "@/lib/services/key-managers/environment-key-managers";
import { getKeyManager, listKeyManagers } from "@/lib/services/key-managers/get-key-manager";
import {
  createKeyManagerClient,
  deleteKeyManagerClient,
  listKeyManagerClients,
  requestKeyManagerToken,
  rotateKeyManagerClient,
} from "@/lib/services/key-managers/key-manager-clients";
import { clientCredentialsToken } from "@/lib/services/key-managers/provider";
import { testKeyManager } from "@/lib/services/key-managers/test-key-manager";
import { updateKeyManager } from "@/lib/services/key-managers/update-key-manager";
import { buildSnapshot } from "@/lib/services/snapshots/build-snapshot";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { adminCtx, userContext } from "../helpers";

/**
 * External key managers against a real OpenID provider (oidc-provider, on 127.0.0.1 with a free
 * port, which is why private addresses are allowed here): registration by issuer with the
 * discovery checks, clients by dynamic registration or proven mapping, and the built-in gateway
 * accepting the provider's tokens for the APIs that accept it.
 */

const PRE_CLIENT = { clientId: "existing-client", clientSecret: "existing-client-secret-0123456789" };
let idp: RunningOidcProvider;
let other: RunningOidcProvider;
let consumer: ServiceContext;
let publisher: ServiceContext;
let privateBefore: string | undefined;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  privateBefore = process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
  process.env.MERIDIAN_ALLOW_PRIVATE_URLS = "true";
  await ensureDefaults();
  idp = await startOidcProvider({ clients: [PRE_CLIENT] });
  other = await startOidcProvider({ audience: "https://other.example" });
  consumer = await userContext(["subscriber"], "km-sub");
  publisher = await userContext(["publisher"], "km-pub");
}, 60_000);

afterAll(async () => {
  if (privateBefore === undefined) delete process.env.MERIDIAN_ALLOW_PRIVATE_URLS;
  else process.env.MERIDIAN_ALLOW_PRIVATE_URLS = privateBefore;
  await idp?.close();
  await other?.close();
  await closeDb();
});

async function registrationTokenOf(clientRowId: string): Promise<string> {
  const db = await getDb();
  const [row] = await db.select().from(keyManagerClients).where(eq(keyManagerClients.id, clientRowId));
  return decryptSecret(row.registrationAccessTokenEncrypted!);
}

async function countRows(): Promise<number> {
  const db = await getDb();
  return (await db.select().from(keyManagers)).length;
}

describe("registering an OpenID provider", () => {
  it("refuses an issuer whose discovery document is unreachable, inconsistent or on a private address", async () => {
    const before = await countRows();
    const base = { name: `bad-${suffix}`, audiences: [idp.audience] };
    // Nothing listens there.
    await expect(createKeyManager({ ...base, issuer: "http://127.0.0.1:9" }, adminCtx)).rejects.toMatchObject({
      code: "validation_failed",
      fieldErrors: { issuer: expect.stringContaining("could not be read") },
    });
    // The provider serves its document under another host name than the issuer it names.
    const aliased = idp.issuer.replace("127.0.0.1", "localhost");
    await expect(createKeyManager({ ...base, issuer: aliased }, adminCtx)).rejects.toMatchObject({
      fieldErrors: { issuer: expect.stringContaining("inconsistent") },
    });
    // A path under the issuer has no discovery document.
    await expect(createKeyManager({ ...base, issuer: `${idp.issuer}/nothing` }, adminCtx)).rejects.toMatchObject({
      fieldErrors: { issuer: expect.stringContaining("404") },
    });
    process.env.MERIDIAN_ALLOW_PRIVATE_URLS = "";
    try {
      await expect(createKeyManager({ ...base, issuer: idp.issuer }, adminCtx)).rejects.toMatchObject({
        fieldErrors: { issuer: expect.stringContaining("private") },
      });
    } finally {
      process.env.MERIDIAN_ALLOW_PRIVATE_URLS = "true";
    }
    await expect(createKeyManager({ ...base, issuer: idp.issuer, audiences: [] }, adminCtx)).rejects.toMatchObject({
      code: "validation_failed",
    });
    expect(await countRows()).toBe(before);
  });

  it("reads the endpoints from the discovery document, masks the registration token and tests the connection", async () => {
    const km = await createKeyManager(
      {
        name: `idp-${suffix}`,
        displayName: "Test IdP",
        issuer: `${idp.issuer}/`,
        audiences: [idp.audience],
        registrationToken: idp.initialAccessToken,
      },
      adminCtx,
    );
    expect(km).toMatchObject({
      type: "external",
      issuer: idp.issuer,
      jwksUri: `${idp.issuer}/jwks`,
      tokenEndpoint: `${idp.issuer}/token`,
      registrationEndpoint: `${idp.issuer}/reg`,
      dynamicRegistration: true,
      clientIdClaim: "client_id",
      registrationToken: "••••••",
    });
    const db = await getDb();
    const [row] = await db.select().from(keyManagers).where(eq(keyManagers.id, km.id));
    expect(row.registrationTokenEncrypted).not.toContain(idp.initialAccessToken);
    const [audit] = await db.select().from(auditEntries).where(eq(auditEntries.objectId, km.id));
    expect(JSON.stringify(audit.details)).not.toContain(idp.initialAccessToken);

    await expect(createKeyManager({ name: `dup-${suffix}`, issuer: idp.issuer, audiences: ["x"] }, adminCtx)).rejects.toMatchObject({
      fieldErrors: { issuer: expect.stringContaining("registered already") },
    });
    const page = await listKeyManagers({}, adminCtx);
    expect(page.items[0]).toMatchObject({ id: "builtin", type: "builtin" });
    expect(page.items.map((k) => k.id)).toContain(km.id);
    expect((await getKeyManager(km.id, adminCtx)).name).toBe(`idp-${suffix}`);
    expect(await testKeyManager(km.id, adminCtx)).toMatchObject({ ok: true, errors: [] });
    // A masked token on PATCH keeps the stored one.
    await updateKeyManager(km.id, { description: "The tests' provider", registrationToken: "••••••" }, adminCtx);
    const [after] = await db.select().from(keyManagers).where(eq(keyManagers.id, km.id));
    expect(after.registrationTokenEncrypted).toBe(row.registrationTokenEncrypted);
    await expect(listKeyManagers({}, consumer)).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("applications' clients at the provider", () => {
  let kmId: string;
  beforeAll(async () => {
    const db = await getDb();
    [{ id: kmId }] = await db
      .select({ id: keyManagers.id })
      .from(keyManagers)
      .where(eq(keyManagers.name, `idp-${suffix}`));
  });

  it("registers a client by dynamic registration whose secret gets tokens from the provider, and deletes it there", async () => {
    const app = await createApplication({ name: `km-reg-${suffix}` }, consumer);
    const client = await createKeyManagerClient(app.id, { keyManagerId: kmId }, consumer);
    expect(client).toMatchObject({ mode: "registered", keyType: "production", issuer: idp.issuer });
    const token = await clientCredentialsToken(`${idp.issuer}/token`, client.clientId, client.clientSecret);
    expect(token.accessToken.split(".")).toHaveLength(3);
    const db = await getDb();
    const [row] = await db.select().from(keyManagerClients).where(eq(keyManagerClients.id, client.id));
    expect(row.clientSecretEncrypted).not.toContain(client.clientSecret);
    expect((await listKeyManagerClients(app.id, consumer)).items).toEqual([
      expect.not.objectContaining({ clientSecret: expect.anything() }),
    ]);
    await expect(createKeyManagerClient(app.id, { keyManagerId: kmId }, consumer)).rejects.toMatchObject({ code: "conflict" });

    // Rotation: a new client replaces the old one, which the provider forgets.
    const rotated = await rotateKeyManagerClient(app.id, client.id, consumer);
    expect(rotated.clientId).not.toBe(client.clientId);
    await expect(clientCredentialsToken(`${idp.issuer}/token`, client.clientId, client.clientSecret)).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    expect((await requestKeyManagerToken(app.id, client.id, {}, consumer)).accessToken).toBeTruthy();

    await deleteKeyManagerClient(app.id, client.id, consumer);
    await expect(clientCredentialsToken(`${idp.issuer}/token`, rotated.clientId, rotated.clientSecret)).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    expect((await listKeyManagerClients(app.id, consumer)).items).toEqual([]);
  });

  it("deletes the application's registered clients at the provider with the application", async () => {
    const app = await createApplication({ name: `km-gone-${suffix}` }, consumer);
    const client = await createKeyManagerClient(app.id, { keyManagerId: kmId, keyType: "sandbox" }, consumer);
    expect((await clientCredentialsToken(`${idp.issuer}/token`, client.clientId, client.clientSecret)).accessToken).toBeTruthy();
    await deleteApplication(app.id, consumer);
    await expect(clientCredentialsToken(`${idp.issuer}/token`, client.clientId, client.clientSecret)).rejects.toMatchObject({
      code: "invalid_credentials",
    });
  });

  it("reports a registration the provider refuses, and keeps nothing", async () => {
    const app = await createApplication({ name: `km-refused-${suffix}` }, consumer);
    await updateKeyManager(kmId, { registrationToken: "not-the-initial-access-token" }, adminCtx);
    try {
      await expect(createKeyManagerClient(app.id, { keyManagerId: kmId }, consumer)).rejects.toMatchObject({
        code: "upstream_unavailable",
        message: expect.stringContaining("refused the client registration"),
      });
      expect((await listKeyManagerClients(app.id, consumer)).items).toEqual([]);
    } finally {
      await updateKeyManager(kmId, { registrationToken: idp.initialAccessToken }, adminCtx);
    }
  });

  it("maps an existing client only with a secret that gets a token, and to one application only", async () => {
    const app = await createApplication({ name: `km-map-${suffix}` }, consumer);
    await expect(
      createKeyManagerClient(app.id, { keyManagerId: kmId, clientId: PRE_CLIENT.clientId, clientSecret: "wrong-secret" }, consumer),
    ).rejects.toMatchObject({ code: "validation_failed", fieldErrors: { clientSecret: expect.stringContaining("did not issue a token") } });
    const mapped = await createKeyManagerClient(app.id, { keyManagerId: kmId, ...PRE_CLIENT }, consumer);
    expect(mapped).toMatchObject({ mode: "mapped", clientId: PRE_CLIENT.clientId });
    await expect(rotateKeyManagerClient(app.id, mapped.id, consumer)).rejects.toMatchObject({ code: "conflict" });

    const stranger = await userContext(["subscriber"], "km-stranger");
    const theirs = await createApplication({ name: `km-theirs-${suffix}` }, stranger);
    await expect(createKeyManagerClient(theirs.id, { keyManagerId: kmId, ...PRE_CLIENT }, stranger)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("already mapped"),
    });
    // Someone else's application reads as not found.
    await expect(listKeyManagerClients(app.id, stranger)).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteKeyManager(kmId, adminCtx)).rejects.toMatchObject({ code: "conflict" });
    await deleteKeyManagerClient(app.id, mapped.id, consumer);
  });
});

describe("the built-in gateway accepts the provider's tokens for the APIs that accept it", () => {
  let kmId: string;
  let cp: FakeControlPlane;
  let backend: Awaited<ReturnType<typeof startBackend>>;
  let gateway: RunningGateway;
  let cacheDir: string;
  let context: string;
  let apiId: string;
  let defaultEnvId: string;
  let subscribed: { appId: string; clientRowId: string; clientId: string; clientSecret: string };
  let unsubscribed: { clientId: string; clientSecret: string };
  let builtinToken: string;

  async function publish(): Promise<void> {
    const snapshot = await buildSnapshot(defaultEnvId);
    cp.publish(snapshot);
    await waitFor(() => gateway.appliedVersion() === snapshot.version);
  }

  beforeAll(async () => {
    const db = await getDb();
    [{ id: kmId }] = await db
      .select({ id: keyManagers.id })
      .from(keyManagers)
      .where(eq(keyManagers.name, `idp-${suffix}`));
    const [env] = await db.select().from(environments).where(eq(environments.name, "default"));
    defaultEnvId = env.id;
    backend = await startBackend();
    const api = await createApi(
      {
        name: "Externally secured",
        version: "v1",
        context: `/ext${suffix}`,
        definition: JSON.stringify({
          openapi: "3.0.3",
          info: { title: "Ext", version: "1" },
          paths: { "/pets": { get: { responses: { "200": { description: "ok" } } } } },
        }),
        endpoints: { production: `${backend.url}/pets`, sandbox: null, overrides: {} },
        security: { scheme: "oauth2", apiKeyHeader: "apikey" },
        allowedTiers: ["Gold"],
      },
      publisher,
    );
    apiId = api.id;
    context = api.context;
    expect((await getApiKeyManagers(api.id, publisher)).items.map((k) => k.id)).toEqual(["builtin"]);
    await expect(setApiKeyManagers(api.id, { keyManagerIds: ["kmg_missing"] }, publisher)).rejects.toMatchObject({
      code: "validation_failed",
    });
    expect((await setApiKeyManagers(api.id, { keyManagerIds: [kmId] }, publisher)).items.map((k) => k.id)).toEqual([kmId]);
    await changeLifecycle(api.id, { action: "publish" }, publisher);
    const revision = await createRevision(api.id, { description: "external" }, publisher);
    await deployRevision(api.id, { revisionId: revision.id, environments: ["default"] }, publisher);

    const app = await createApplication({ name: `km-gw-${suffix}` }, consumer);
    await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, consumer);
    const client = await createKeyManagerClient(app.id, { keyManagerId: kmId }, consumer);
    subscribed = { appId: app.id, clientRowId: client.id, clientId: client.clientId, clientSecret: client.clientSecret };
    const idle = await createApplication({ name: `km-gw-idle-${suffix}` }, consumer);
    unsubscribed = await createKeyManagerClient(idle.id, { keyManagerId: kmId }, consumer);
    // The same application with a Meridian token: the API does not accept Meridian's tokens.
    const creds = await generateClientCredentials(app.id, {}, consumer);
    builtinToken = (await issueClientCredentialsToken({ grantType: "client_credentials", ...creds })).access_token;

    cp = new FakeControlPlane();
    await cp.start();
    cacheDir = tempDir();
    const snapshot = await buildSnapshot(defaultEnvId);
    cp.publish(snapshot);
    gateway = await startGateway(testConfig(cp, cacheDir, { environment: "default" }));
    await waitFor(() => gateway.appliedVersion() === snapshot.version);
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await cp?.stop();
    await backend?.close();
    if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  const call = (token: string) => fetch(`${gateway.url}${context}/v1/pets`, { headers: { authorization: `Bearer ${token}` } });
  const tokenOf = async (c: { clientId: string; clientSecret: string }, issuer = idp.issuer) =>
    (await clientCredentialsToken(`${issuer}/token`, c.clientId, c.clientSecret)).accessToken;

  it("carries the accepted issuer and its clients in the snapshot", async () => {
    const snapshot = await buildSnapshot(defaultEnvId);
    expect(snapshot.apis.find((a) => a.id === apiId)?.keyManagers).toEqual([kmId]);
    expect(snapshot.keyManagers).toEqual([
      { id: kmId, issuer: idp.issuer, jwksUri: `${idp.issuer}/jwks`, audiences: [idp.audience], clientIdClaim: "client_id" },
    ]);
    expect(snapshot.externalClients).toEqual(
      expect.arrayContaining([
        { keyManagerId: kmId, clientId: subscribed.clientId, applicationId: subscribed.appId, keyType: "production" },
      ]),
    );
    expect(JSON.stringify(snapshot)).not.toContain(subscribed.clientSecret);
  });

  it("answers 200 to a subscribed client's token, 403 to an unsubscribed client's, 401 to other issuers'", async () => {
    const ok = await call(await tokenOf(subscribed));
    expect(ok.status).toBe(200);
    expect((await ok.json()).headers.authorization).toBeUndefined();

    const refused = await call(await tokenOf(unsubscribed));
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe("subscription_required");

    // Another real provider, registered in Meridian but accepted by no API here.
    const otherKm = await createKeyManager({ name: `other-${suffix}`, issuer: other.issuer, audiences: [other.audience] }, adminCtx);
    const otherApp = await createApplication({ name: `km-other-${suffix}` }, consumer);
    const otherClient = await createKeyManagerClient(otherApp.id, { keyManagerId: otherKm.id }, consumer).catch((e: unknown) => e);
    // Without its initial access token the provider refuses the registration, and nothing is kept.
    expect(otherClient).toMatchObject({ code: "upstream_unavailable" });
    expect((await listKeyManagerClients(otherApp.id, consumer)).items).toEqual([]);
    await updateKeyManager(otherKm.id, { registrationToken: other.initialAccessToken }, adminCtx);
    const registered = await createKeyManagerClient(otherApp.id, { keyManagerId: otherKm.id }, consumer);
    await createSubscription({ applicationId: otherApp.id, apiId, tier: "Gold" }, consumer);
    await publish();
    const untrusted = await call(await tokenOf(registered, other.issuer));
    expect(untrusted.status).toBe(401);
    expect((await untrusted.json()).code).toBe("untrusted_issuer");

    // Meridian's own tokens are not accepted by an API that accepts only the provider.
    const builtin = await call(builtinToken);
    expect(builtin.status).toBe(401);
    expect((await builtin.json()).code).toBe("issuer_not_accepted");
  });

  it("carries the external issuer into the AWS authorizer's issuers and Azure's validate-jwt", async () => {
    await createEnvironment(
      {
        name: `aws-${suffix}`,
        type: "aws",
        config: {
          region: "eu-west-1",
          accessKeyId: "AKIAMERIDIANEMULATOR",
          secretAccessKey: "meridian-emulator-secret",
          endpoint: "http://127.0.0.1:9",
          authorizerArn: "arn:aws:lambda:eu-west-1:123456789012:function:meridian-authorizer",
        },
      },
      adminCtx,
    );
    await createEnvironment(
      {
        name: `azure-${suffix}`,
        type: "azure",
        config: {
          tenantId: "00000000-0000-0000-0000-000000000001",
          clientId: "00000000-0000-0000-0000-000000000002",
          clientSecret: "secret",
          subscriptionId: "00000000-0000-0000-0000-000000000003",
          resourceGroup: "rg",
          serviceName: "apim-test",
          endpoint: "https://127.0.0.1:9",
        },
      },
      adminCtx,
    );
    const revision = await createRevision(apiId, { description: "plans" }, publisher);
    const plans = await planDeployment(apiId, { revisionId: revision.id, environments: [`aws-${suffix}`, `azure-${suffix}`] }, publisher);
    const aws = plans.find((p) => p.type === "aws")!;
    expect(aws.artifacts.find((a) => a.kind === "authorizer-issuers")?.content).toEqual({
      issuers: [{ issuer: idp.issuer, jwksUri: `${idp.issuer}/jwks`, audiences: [idp.audience], clientIdClaim: "client_id" }],
    });
    const azure = plans.find((p) => p.type === "azure")!;
    const policy = azure.artifacts.find((a) => a.format === "xml" && String(a.content).includes("validate-jwt"))?.content as string;
    expect(policy).toContain(`<openid-config url="${idp.issuer}/.well-known/openid-configuration"`);
    expect(policy).toContain(`<issuer>${idp.issuer}</issuer>`);
    // The API accepts the provider alone: Meridian's own issuer is not trusted there.
    expect(policy).not.toContain("/oauth2/jwks");
    expect(policy).not.toMatch(/<issuer>http:\/\/localhost/);
  });

  it("keeps accepting a token of a client deleted at the provider only until the token expires", async () => {
    const brief = await startOidcProvider({ accessTokenTtl: 1 });
    try {
      const km = await createKeyManager(
        { name: `brief-${suffix}`, issuer: brief.issuer, audiences: [brief.audience], registrationToken: brief.initialAccessToken },
        adminCtx,
      );
      await setApiKeyManagers(apiId, { keyManagerIds: [kmId, km.id] }, publisher);
      const client = await createKeyManagerClient(subscribed.appId, { keyManagerId: km.id }, consumer);
      await publish();
      const token = await tokenOf(client, brief.issuer);
      expect((await call(token)).status).toBe(200);
      // Someone deletes the client at the provider itself, behind Meridian's back.
      const db = await getDb();
      const [row] = await db.select().from(keyManagerClients).where(eq(keyManagerClients.id, client.id));
      const registration = await fetch(row.registrationClientUri!, {
        method: "DELETE",
        headers: { authorization: `Bearer ${await registrationTokenOf(client.id)}` },
      });
      expect(registration.status).toBe(204);
      await expect(tokenOf(client, brief.issuer)).rejects.toMatchObject({ code: "invalid_credentials" });
      // The token it holds passes until it expires (plus the gateways' 30 s of clock skew), then never again.
      expect((await call(token)).status).toBe(200);
      await new Promise((r) => setTimeout(r, (1 + CLOCK_SKEW_SECONDS + 1) * 1000));
      const expired = await call(token);
      expect(expired.status).toBe(401);
      expect((await expired.json()).code).toBe("token_expired");
      await deleteKeyManagerClient(subscribed.appId, client.id, consumer);
      await setApiKeyManagers(apiId, { keyManagerIds: [kmId] }, publisher);
    } finally {
      await brief.close();
    }
  }, 60_000);

  it("lets an environment restrict the key managers its gateways trust", async () => {
    await setEnvironmentKeyManagers("default", { keyManagerIds: ["builtin"] }, adminCtx);
    try {
      const restricted = await buildSnapshot(defaultEnvId);
      expect(restricted.keyManagers ?? []).toEqual([]);
      expect(restricted.apis.find((a) => a.id === apiId)?.keyManagers).toEqual([]);
      await publish();
      const refused = await call(await tokenOf(subscribed));
      expect(refused.status).toBe(401);
      expect((await refused.json()).code).toBe("untrusted_issuer");
      // Push environments refuse the deployment instead: no accepted key manager is left there.
      await setEnvironmentKeyManagers(`azure-${suffix}`, { keyManagerIds: ["builtin"] }, adminCtx);
      const revision = await createRevision(apiId, { description: "restricted" }, publisher);
      const [azure] = await planDeployment(apiId, { revisionId: revision.id, environments: [`azure-${suffix}`] }, publisher);
      expect(azure.refusals).toContainEqual({ feature: "key managers", reason: expect.stringContaining("allowed in this environment") });
      await expect(setEnvironmentKeyManagers("default", { keyManagerIds: ["kmg_missing"] }, adminCtx)).rejects.toMatchObject({
        code: "validation_failed",
      });
      expect(await getEnvironmentKeyManagers("default", adminCtx)).toMatchObject({ restricted: true, items: [{ id: "builtin" }] });
    } finally {
      await setEnvironmentKeyManagers("default", { keyManagerIds: [] }, adminCtx);
    }
    expect(await getEnvironmentKeyManagers("default", adminCtx)).toEqual({ restricted: false, items: [] });
    await publish();
    expect((await call(await tokenOf(subscribed))).status).toBe(200);
  });

  it("refuses a deleted client's tokens once the gateway has the next snapshot", async () => {
    const token = await tokenOf(subscribed);
    expect((await call(token)).status).toBe(200);
    await deleteKeyManagerClient(subscribed.appId, subscribed.clientRowId, consumer);
    // The provider no longer issues tokens to it...
    await expect(tokenOf(subscribed)).rejects.toMatchObject({ code: "invalid_credentials" });
    // ...and the token it issued before is refused, expired or not.
    await publish();
    const refused = await call(token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).code).toBe("unknown_client");
  });
});
