import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { environments, rateLimitPolicies, subscriptions } from "@/lib/db/schema";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApplication } from "@/lib/services/applications/create-application";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { updateSettings } from "@/lib/services/settings/update-settings";
import { buildSnapshot } from "@/lib/services/snapshots/build-snapshot";
import { decideSubscription, deleteSubscription } from "@/lib/services/subscriptions/change-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { listSubscriptionApprovals, listSubscriptions } from "@/lib/services/subscriptions/list-subscriptions";
import { createTier } from "@/lib/services/tiers/create-tier";
import { adminCtx, userContext } from "../helpers";

afterAll(() => closeDb());

const run = randomBytes(4).toString("hex");
let publisher: ServiceContext;
let otherPublisher: ServiceContext;
let consumer: ServiceContext;
let stranger: ServiceContext;
const apis: Record<string, string> = {};

async function makeApi(key: string, actions: string[], allowedTiers = ["Gold", "Silver"]) {
  const api = await createApi(
    {
      name: `Subs ${key} ${run}`,
      version: "v1",
      context: `/subs-${run}-${key}`,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "s", version: "1" },
        paths: { "/x": { get: { responses: { "200": { description: "ok" } } } } },
      }),
      endpoints: { production: "http://127.0.0.1:9/x", sandbox: null, overrides: {} },
      allowedTiers,
    } as never,
    publisher,
  );
  for (const action of actions) await changeLifecycle(api.id, { action } as never, publisher);
  apis[key] = api.id;
}

async function rowsOf(applicationId: string) {
  const db = await getDb();
  return db.select().from(subscriptions).where(eq(subscriptions.applicationId, applicationId));
}

beforeAll(async () => {
  await ensureDefaults();
  publisher = await userContext(["publisher"], "subs-pub");
  otherPublisher = await userContext(["publisher"], "subs-pub2");
  consumer = await userContext(["subscriber"], "subs-consumer");
  stranger = await userContext(["subscriber"], "subs-stranger");
  await makeApi("live", ["publish"]);
  await makeApi("old", ["publish", "deprecate"]);
  await makeApi("gone", ["publish", "deprecate", "retire"]);
  await makeApi("draft", []);
}, 90_000);

describe("subscription rules", () => {
  it("subscribes on an offered tier and lists it with the API's name, version and state", async () => {
    const app = await createApplication({ name: `ok-${run}` }, consumer);
    const sub = await createSubscription({ applicationId: app.id, apiId: apis.live, tier: "Silver" }, consumer);
    expect(sub).toMatchObject({ status: "active", tier: "Silver", created: true });
    const page = await listSubscriptions({ applicationId: app.id }, consumer);
    expect(page.items).toEqual([
      expect.objectContaining({
        id: sub.id,
        apiName: `Subs live ${run}`,
        apiVersion: "v1",
        apiLifecycleState: "PUBLISHED",
        applicationName: `ok-${run}`,
        status: "active",
      }),
    ]);
    expect((await listSubscriptions({ applicationId: app.id }, stranger)).items).toEqual([]);
  });

  it("makes one subscription of two quick clicks", async () => {
    const app = await createApplication({ name: `twice-${run}` }, consumer);
    const input = { applicationId: app.id, apiId: apis.live, tier: "Gold" };
    const [a, b] = await Promise.all([createSubscription(input, consumer), createSubscription(input, consumer)]);
    expect(a.id).toBe(b.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await rowsOf(app.id)).toHaveLength(1);
  });

  it("refuses a tier the API does not offer, with a clear message, and creates nothing", async () => {
    const app = await createApplication({ name: `tier-${run}` }, consumer);
    await expect(createSubscription({ applicationId: app.id, apiId: apis.live, tier: "Bronze" }, consumer)).rejects.toMatchObject({
      code: "validation_failed",
      status: 400,
      message: expect.stringMatching(/does not offer the Bronze tier \(offered: Gold, Silver\)/),
    });
    expect(await rowsOf(app.id)).toEqual([]);
  });

  it("refuses retired, deprecated and unpublished APIs", async () => {
    const app = await createApplication({ name: `state-${run}` }, consumer);
    await expect(createSubscription({ applicationId: app.id, apiId: apis.gone, tier: "Gold" }, consumer)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/is retired/),
    });
    await expect(createSubscription({ applicationId: app.id, apiId: apis.old, tier: "Gold" }, consumer)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/deprecated and takes no new subscriptions/),
    });
    await expect(createSubscription({ applicationId: app.id, apiId: apis.draft, tier: "Gold" }, consumer)).rejects.toMatchObject({
      status: 400,
    });
    expect(await rowsOf(app.id)).toEqual([]);
  });

  it("refuses someone else's application with 403 and creates nothing", async () => {
    const app = await createApplication({ name: `theirs-${run}` }, consumer);
    await expect(createSubscription({ applicationId: app.id, apiId: apis.live, tier: "Gold" }, stranger)).rejects.toMatchObject({
      code: "forbidden",
      status: 403,
    });
    expect(await rowsOf(app.id)).toEqual([]);
    const sub = await createSubscription({ applicationId: app.id, apiId: apis.live, tier: "Gold" }, consumer);
    await expect(deleteSubscription(sub.id, stranger)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses an allowed tier that no longer exists", async () => {
    const name = `Gone${run}`;
    await createTier({ kind: "subscription", name, unlimited: true }, adminCtx);
    await makeApi("ghost", ["publish"], [name]);
    const db = await getDb();
    await db.delete(rateLimitPolicies).where(and(eq(rateLimitPolicies.kind, "subscription"), eq(rateLimitPolicies.name, name)));
    const app = await createApplication({ name: `ghost-${run}` }, consumer);
    await expect(createSubscription({ applicationId: app.id, apiId: apis.ghost, tier: name }, consumer)).rejects.toMatchObject({
      code: "validation_failed",
    });
    expect(await rowsOf(app.id)).toEqual([]);
  });

  it("unsubscribes", async () => {
    const app = await createApplication({ name: `unsub-${run}` }, consumer);
    const sub = await createSubscription({ applicationId: app.id, apiId: apis.live, tier: "Gold" }, consumer);
    await deleteSubscription(sub.id, consumer);
    expect(await rowsOf(app.id)).toEqual([]);
  });
});

describe("approval", () => {
  it("keeps new subscriptions pending for the API's publishers and admins, who approve, reject and block", async () => {
    await updateSettings({ subscriptionApproval: true }, adminCtx);
    try {
      const app = await createApplication({ name: `approval-${run}` }, consumer);
      const other = await createApplication({ name: `approval2-${run}` }, consumer);
      const sub = await createSubscription({ applicationId: app.id, apiId: apis.live, tier: "Gold" }, consumer);
      const sub2 = await createSubscription({ applicationId: other.id, apiId: apis.live, tier: "Gold" }, consumer);
      expect(sub.status).toBe("pending");

      const forOwner = await listSubscriptionApprovals({}, publisher);
      expect(forOwner.items.map((s) => s.id)).toEqual(expect.arrayContaining([sub.id, sub2.id]));
      expect(forOwner.items.find((s) => s.id === sub.id)).toMatchObject({
        ownerEmail: consumer.actor!.email,
        apiName: `Subs live ${run}`,
        status: "pending",
      });
      expect((await listSubscriptionApprovals({}, otherPublisher)).items.map((s) => s.id)).not.toContain(sub.id);
      expect((await listSubscriptionApprovals({}, adminCtx)).items.map((s) => s.id)).toContain(sub.id);
      await expect(listSubscriptionApprovals({}, consumer)).rejects.toMatchObject({ code: "forbidden" });

      await expect(decideSubscription(sub.id, "approve", otherPublisher)).rejects.toMatchObject({ code: "not_found" });
      expect((await decideSubscription(sub.id, "approve", publisher)).status).toBe("active");
      expect((await decideSubscription(sub2.id, "reject", adminCtx)).status).toBe("rejected");
      expect((await listSubscriptionApprovals({ status: "active" }, publisher)).items.map((s) => s.id)).toContain(sub.id);
      expect((await listSubscriptionApprovals({}, publisher)).items.map((s) => s.id)).not.toContain(sub.id);

      // A blocked subscription reaches the gateways as blocked: they refuse its calls.
      const revision = await createRevision(apis.live, { description: "r" }, publisher);
      await deployRevision(apis.live, { revisionId: revision.id, environments: ["default"] }, publisher);
      expect((await decideSubscription(sub.id, "block", publisher)).status).toBe("blocked");
      const db = await getDb();
      const [env] = await db.select().from(environments).where(eq(environments.name, "default"));
      expect((await buildSnapshot(env.id)).subscriptions).toContainEqual(expect.objectContaining({ id: sub.id, status: "blocked" }));
    } finally {
      await updateSettings({ subscriptionApproval: false }, adminCtx);
    }
  });
});
