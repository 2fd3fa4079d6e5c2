import { randomBytes } from "node:crypto";
import { createLocalJWKSet, jwtVerify, type JWK } from "jose";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { apiKeys, environments, oauthClients, subscriptions } from "@/lib/db/schema";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { createApplication } from "@/lib/services/applications/create-application";
import { deleteApplication } from "@/lib/services/applications/delete-application";
import { generateAccessToken } from "@/lib/services/applications/generate-access-token";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { getApplicationDetail } from "@/lib/services/applications/get-application-detail";
import { listApplications } from "@/lib/services/applications/list-applications";
import { updateApplication } from "@/lib/services/applications/update-application";
import type { ServiceContext } from "@/lib/services/context";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { getJwks } from "@/lib/services/keys/signing-keys";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { createTier } from "@/lib/services/tiers/create-tier";
import { adminCtx, userContext } from "../helpers";

afterAll(() => closeDb());

const run = randomBytes(4).toString("hex");
let owner: ServiceContext;
let stranger: ServiceContext;
let apiId: string;
const policyName = `AppPol${run}`;

beforeAll(async () => {
  await ensureDefaults();
  owner = await userContext(["subscriber"], "apps-owner");
  stranger = await userContext(["subscriber"], "apps-stranger");
  const publisher = await userContext(["publisher"], "apps-pub");
  const api = await createApi(
    {
      name: `Apps ${run}`,
      version: "v1",
      context: `/apps-${run}`,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "a", version: "1" },
        paths: { "/x": { get: { responses: { "200": { description: "ok" } } } } },
      }),
      endpoints: { production: "http://127.0.0.1:9/x", sandbox: null, overrides: {} },
      allowedTiers: ["Gold"],
    } as never,
    publisher,
  );
  apiId = api.id;
  await changeLifecycle(apiId, { action: "publish" } as never, publisher);
  await createTier(
    { kind: "application", name: policyName, displayName: "App policy", unlimited: false, requests: 100, unit: "minute" },
    adminCtx,
  );
}, 60_000);

describe("applications", () => {
  it("creates, lists only the owner's own, and edits without losing untouched fields", async () => {
    const app = await createApplication({ name: `crud-${run}`, description: "first", policy: policyName }, owner);
    await createApplication({ name: `other-${run}` }, stranger);
    const mine = await listApplications({}, owner);
    expect(mine.items.map((a) => a.name)).toEqual([`crud-${run}`]);
    expect(mine.items[0]).toMatchObject({ policy: policyName, subscriptionCount: 0, keyTypes: [] });

    const renamed = await updateApplication(app.id, { name: `crud2-${run}` }, owner);
    expect(renamed).toMatchObject({ name: `crud2-${run}`, description: "first", policy: policyName });
    expect(await updateApplication(app.id, { policy: null }, owner)).toMatchObject({ policy: null, description: "first" });
  });

  it("accepts only the admin's application policies", async () => {
    await expect(createApplication({ name: `badpol-${run}`, policy: "NoSuchPolicy" }, owner)).rejects.toMatchObject({
      code: "validation_failed",
      fieldErrors: { policy: expect.any(String) },
    });
    expect((await listApplications({}, owner)).items.map((a) => a.name)).not.toContain(`badpol-${run}`);
    const app = await createApplication({ name: `pol-${run}` }, owner);
    await expect(updateApplication(app.id, { policy: "Gold" }, owner)).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("refuses a second application with the same name for one owner", async () => {
    await createApplication({ name: `dup-${run}` }, owner);
    await expect(createApplication({ name: `dup-${run}` }, owner)).rejects.toMatchObject({ code: "conflict" });
    await expect(createApplication({ name: `dup-${run}` }, stranger)).resolves.toMatchObject({ name: `dup-${run}` });
  });

  it("hides someone else's application: reading, editing, deleting, keys and tokens all answer not found", async () => {
    const app = await createApplication({ name: `private-${run}` }, owner);
    await expect(getApplicationDetail(app.id, stranger)).rejects.toMatchObject({ code: "not_found" });
    await expect(updateApplication(app.id, { name: "stolen" }, stranger)).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteApplication(app.id, stranger)).rejects.toMatchObject({ code: "not_found" });
    await expect(generateClientCredentials(app.id, { keyType: "production" }, stranger)).rejects.toMatchObject({ code: "not_found" });
    await expect(createApiKey(app.id, {}, stranger)).rejects.toMatchObject({ code: "not_found" });
    await expect(generateAccessToken(app.id, {}, stranger)).rejects.toMatchObject({ code: "not_found" });
    await expect(getApplicationDetail(app.id, owner)).resolves.toMatchObject({ id: app.id });
  });

  it("shows credentials without secrets, keys without the key, and subscriptions with the API", async () => {
    const app = await createApplication({ name: `detail-${run}` }, owner);
    const creds = await generateClientCredentials(app.id, { keyType: "sandbox" }, owner);
    const { key } = await createApiKey(app.id, { name: "ci", keyType: "production" }, owner);
    await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, owner);
    const detail = await getApplicationDetail(app.id, owner);
    expect(detail.credentials).toEqual([{ keyType: "sandbox", clientId: creds.clientId, secretRotatedAt: expect.any(String) }]);
    expect(detail.apiKeys).toHaveLength(1);
    expect(detail.subscriptions).toMatchObject([
      { apiId, apiName: `Apps ${run}`, apiVersion: "v1", tier: "Gold", status: "active", samplePath: "/x" },
    ]);
    const text = JSON.stringify(detail);
    expect(text).not.toContain(creds.clientSecret);
    expect(text).not.toContain(key);
  });

  it("generates an access token in the portal once the application has credentials of that key type", async () => {
    const app = await createApplication({ name: `token-${run}` }, owner);
    await expect(generateAccessToken(app.id, { keyType: "production" }, owner)).rejects.toMatchObject({ code: "bad_request" });
    const creds = await generateClientCredentials(app.id, { keyType: "production" }, owner);
    const token = await generateAccessToken(app.id, { keyType: "production" }, owner);
    expect(token).toMatchObject({ token_type: "Bearer", keyType: "production", clientId: creds.clientId });
    const { payload } = await jwtVerify(token.access_token, createLocalJWKSet((await getJwks()) as { keys: JWK[] }));
    expect(payload).toMatchObject({ sub: app.id, client_id: creds.clientId, keytype: "production" });
  });

  it("deletes an application with its credentials, keys and subscriptions, and tells the gateways", async () => {
    const app = await createApplication({ name: `gone-${run}` }, owner);
    await generateClientCredentials(app.id, { keyType: "production" }, owner);
    await createApiKey(app.id, {}, owner);
    await createSubscription({ applicationId: app.id, apiId, tier: "Gold" }, owner);
    const db = await getDb();
    const [before] = await db.select().from(environments).where(eq(environments.name, "default"));
    expect(await deleteApplication(app.id, owner)).toEqual({ id: app.id, subscriptions: 1 });
    const [after] = await db.select().from(environments).where(eq(environments.name, "default"));
    expect(after.snapshotVersion).toBeGreaterThan(before.snapshotVersion);
    expect(await db.select().from(subscriptions).where(eq(subscriptions.applicationId, app.id))).toEqual([]);
    expect(await db.select().from(apiKeys).where(eq(apiKeys.applicationId, app.id))).toEqual([]);
    expect(await db.select().from(oauthClients).where(eq(oauthClients.applicationId, app.id))).toEqual([]);
    await expect(getApplicationDetail(app.id, owner)).rejects.toMatchObject({ code: "not_found" });
  });
});
