import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createApplication } from "@/lib/services/applications/create-application";
import { getCatalogApi } from "@/lib/services/catalog/get-catalog-api";
import type { ServiceContext } from "@/lib/services/context";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { planDeployment } from "@/lib/services/deployments/plan-deployment";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { buildSnapshot } from "@/lib/services/snapshots/build-snapshot";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { listTierNames } from "@/lib/services/tiers/list-tiers";
import { adminCtx, userContext } from "../helpers";

afterAll(() => closeDb());

const run = randomBytes(4).toString("hex");
let publisher: ServiceContext;
let consumer: ServiceContext;

async function publishedApi(key: string, allowedTiers?: string[]) {
  const api = await createApi(
    {
      name: `Offered ${key} ${run}`,
      version: "v1",
      context: `/offered-${run}-${key}`,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "o", version: "1" },
        paths: { "/x": { get: { responses: { "200": { description: "ok" } } } } },
      }),
      endpoints: { production: "http://127.0.0.1:9/x", sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "x-api-key" },
      ...(allowedTiers ? { allowedTiers } : {}),
    } as never,
    publisher,
  );
  await changeLifecycle(api.id, { action: "publish" }, publisher);
  return api;
}

beforeAll(async () => {
  await ensureDefaults();
  publisher = await userContext(["publisher", "admin"], "offered-pub");
  consumer = await userContext(["subscriber"], "offered-consumer");
}, 90_000);

describe("an API whose publisher allowed no tier in particular", () => {
  it("offers every tier in the catalog, small to large", async () => {
    const api = await publishedApi("catalog");
    expect(api.allowedTiers).toEqual([]);
    const detail = await getCatalogApi(api.id, consumer);
    expect(detail.tiers.map((t) => t.name).sort()).toEqual((await listTierNames("subscription")).sort());
    expect(detail.tiers.at(-1)?.name).toBe("Unlimited");
  });

  it("takes a subscription on any tier that exists, in its own spelling, and only those", async () => {
    const api = await publishedApi("subscribe");
    const app = await createApplication({ name: `offered-${run}` }, consumer);
    await expect(createSubscription({ applicationId: app.id, apiId: api.id, tier: "NoSuchTier" }, consumer)).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringMatching(/offered: .*Gold/),
    });
    const sub = await createSubscription({ applicationId: app.id, apiId: api.id, tier: "bronze" }, consumer);
    expect(sub).toMatchObject({ status: "active", tier: "Bronze" });

    // The built-in gateway learns it from the snapshot, with the tier it enforces.
    const revision = await createRevision(api.id, { description: "r1" }, publisher);
    await deployRevision(api.id, { revisionId: revision.id, environments: ["default"] }, publisher);
    const db = await getDb();
    const [env] = await db.select().from(environments).where(eq(environments.name, "default"));
    const snapshot = await buildSnapshot(env.id);
    expect(snapshot.subscriptions).toContainEqual(expect.objectContaining({ id: sub.id, apiId: api.id, tier: "Bronze", status: "active" }));
    expect(snapshot.tiers.map((t) => t.name)).toContain("Bronze");
  });

  it("plans one AWS usage plan per existing tier; a narrowed API plans only its own", async () => {
    const envName = `aws-offered-${run}`;
    await createEnvironment(
      {
        name: envName,
        type: "aws",
        mode: "write-only",
        displayName: envName,
        config: {
          region: "eu-west-1",
          accessKeyId: "AKIAMERIDIANEMULATOR",
          secretAccessKey: "meridian-emulator-secret",
          endpoint: "http://127.0.0.1:9",
        },
      },
      adminCtx,
    );
    const plansOf = async (allowed?: string[]) => {
      const api = await publishedApi(`aws-${allowed?.join("-").toLowerCase() ?? "all"}`, allowed);
      const revision = await createRevision(api.id, { description: "r1" }, publisher);
      const [plan] = await planDeployment(api.id, { revisionId: revision.id, environments: [envName] }, publisher);
      return plan.artifacts.filter((a) => a.kind === "usage-plan").map((a) => (a.content as { tier: string }).tier);
    };
    expect((await plansOf()).sort()).toEqual((await listTierNames("subscription")).sort());
    expect(await plansOf(["Gold"])).toEqual(["Gold"]);
  });
});
