import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { auditEntries, rateLimitPolicies } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { getEnvironment } from "@/lib/services/environments/get-environment";
import { createTier } from "@/lib/services/tiers/create-tier";
import { deleteTier } from "@/lib/services/tiers/delete-tier";
import { findTierUsages } from "@/lib/services/tiers/find-tier-usages";
import { getTier, listTierNames, listTiers } from "@/lib/services/tiers/list-tiers";
import { updateTier } from "@/lib/services/tiers/update-tier";
import { insertApiAllowingTiers } from "../stand-ins";
import { adminCtx, userContext } from "../helpers";

afterAll(() => closeDb());
beforeAll(() => ensureDefaults());

const uniqueTier = (label = "Tier") => `${label}${randomBytes(4).toString("hex")}`;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("default tiers", () => {
  it("are Bronze, Silver, Gold and Unlimited, from small to large", async () => {
    const tiers = await listTiers("subscription", adminCtx);
    const defaults = tiers.filter((t) => ["Bronze", "Silver", "Gold", "Unlimited"].includes(t.name));
    expect(defaults.map((t) => [t.name, t.summary])).toEqual([
      ["Bronze", "1,000 requests per minute"],
      ["Silver", "2,000 requests per minute"],
      ["Gold", "5,000 requests per minute"],
      ["Unlimited", "Unlimited"],
    ]);
    expect(await listTierNames()).toEqual(expect.arrayContaining(["Bronze", "Silver", "Gold", "Unlimited"]));
    // Running again adds nothing.
    expect((await ensureDefaults()).tiers).toBe(0);
  });
});

describe("creating and editing tiers", () => {
  it("creates a tier with burst and quota, audits it, and edits its limits", async () => {
    const name = uniqueTier("Platinum");
    const tier = await createTier(
      { name, requests: 100, unit: "second", burst: 200, monthlyQuota: 5_000_000, description: "For partners" },
      adminCtx,
    );
    expect(tier).toMatchObject({
      kind: "subscription",
      name,
      displayName: name,
      requests: 100,
      unit: "second",
      burst: 200,
      monthlyQuota: 5_000_000,
    });
    expect(tier.summary).toBe("100 requests per second, burst 200, 5,000,000 per month");

    const edited = await updateTier("subscription", name, { requests: 150, burst: null, displayName: "Platinum plus" }, adminCtx);
    expect(edited).toMatchObject({ requests: 150, burst: null, monthlyQuota: 5_000_000, displayName: "Platinum plus" });

    const unlimited = await updateTier("subscription", name, { unlimited: true }, adminCtx);
    expect(unlimited).toMatchObject({ unlimited: true, requests: null, unit: null, burst: null, monthlyQuota: null });

    const db = await getDb();
    const audit = await db.select().from(auditEntries).where(eq(auditEntries.objectId, tier.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["tier.create", "tier.update", "tier.update"]);
  });

  it("makes every gateway pick up the change: snapshot versions move", async () => {
    const env = await createEnvironment({ name: `tiers-${randomBytes(4).toString("hex")}`, type: "builtin" }, adminCtx);
    const version = async () => (await getEnvironment(env.name, adminCtx)).snapshotVersion;
    const name = uniqueTier("Moving");
    await createTier({ name, requests: 10, unit: "minute" }, adminCtx);
    const afterCreate = await version();
    expect(afterCreate).toBeGreaterThan(env.snapshotVersion);
    await updateTier("subscription", name, { requests: 20 }, adminCtx);
    expect(await version()).toBeGreaterThan(afterCreate);
  });

  it("refuses bad limits on the fields and saves nothing", async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ requests: 0, unit: "minute" }, "requests", /at least 1/],
      [{ requests: 1.5, unit: "minute" }, "requests", /whole number/],
      [{ requests: 10, unit: "week" }, "unit", /second, minute, hour, day/],
      [{ unit: "minute" }, "requests", /how many requests/],
      [{ requests: 10 }, "unit", /unit of time/],
      [{ requests: 10, unit: "minute", burst: -1 }, "burst", /at least 1/],
      [{ requests: 10, unit: "minute", monthlyQuota: 3_000_000_000 }, "monthlyQuota", /at most/],
      [{ unlimited: true, requests: 10 }, "requests", /unlimited tier has no request limit/],
      [{ name: "9lives", requests: 10, unit: "minute" }, "name", /starting with a letter/],
      [{ kind: "global", requests: 10, unit: "minute" }, "kind", /subscription, application, api/],
    ];
    const db = await getDb();
    for (const [input, path, message] of cases) {
      const name = (input.name as string | undefined) ?? uniqueTier("Bad");
      const error = await failure(createTier({ name, ...input }, adminCtx));
      expect(error.status, JSON.stringify(input)).toBe(400);
      expect(error.fieldErrors?.[path], `${path}: ${JSON.stringify(error.fieldErrors)}`).toMatch(message);
      expect(await db.select().from(rateLimitPolicies).where(eq(rateLimitPolicies.name, name))).toHaveLength(0);
    }
  });

  it("refuses a duplicate name within a kind, whatever the case, but allows it in another kind", async () => {
    const name = uniqueTier("Dup");
    await createTier({ name, requests: 10, unit: "minute" }, adminCtx);
    const error = await failure(createTier({ name: name.toUpperCase(), requests: 20, unit: "minute" }, adminCtx));
    expect(error.status).toBe(400);
    expect(error.fieldErrors?.name).toMatch(/already exists/);
    const app = await createTier({ kind: "application", name, requests: 50, unit: "hour" }, adminCtx);
    expect(app.kind).toBe("application");
    expect((await listTiers("application", adminCtx)).map((t) => t.name)).toContain(name);
    expect(await listTierNames("subscription")).toContain(name);
    expect((await getTier("application", name, adminCtx)).requests).toBe(50);
  });

  it("never renames a tier", async () => {
    const name = uniqueTier();
    await createTier({ name, requests: 10, unit: "minute" }, adminCtx);
    expect((await failure(updateTier("subscription", name, { name: `${name}x` }, adminCtx))).fieldErrors?.name).toMatch(/cannot change/);
    expect((await failure(updateTier("subscription", uniqueTier("Ghost"), { requests: 1 }, adminCtx))).code).toBe("not_found");
  });

  it("is read by any signed-in user and written by admins only", async () => {
    const publisher = await userContext(["publisher"]);
    const subscriber = await userContext(["subscriber"]);
    expect((await listTiers("subscription", subscriber)).length).toBeGreaterThan(0);
    expect((await failure(createTier({ name: uniqueTier(), requests: 1, unit: "second" }, publisher))).code).toBe("forbidden");
    expect((await failure(updateTier("subscription", "Gold", { requests: 1 }, publisher))).code).toBe("forbidden");
    expect((await failure(deleteTier("subscription", "Gold", publisher))).code).toBe("forbidden");
    expect((await failure(listTiers("subscription", { actor: null }))).code).toBe("unauthenticated");
  });
});

describe("deleting tiers", () => {
  it("deletes an unused tier", async () => {
    const name = uniqueTier("Unused");
    await createTier({ name, requests: 10, unit: "minute" }, adminCtx);
    await deleteTier("subscription", name, adminCtx);
    expect((await failure(getTier("subscription", name, adminCtx))).code).toBe("not_found");
  });

  it("refuses with 409 and lists the APIs that allow the tier", async () => {
    const name = uniqueTier("InUse");
    await createTier({ name, requests: 10, unit: "minute" }, adminCtx);
    const apiId = `api_tiertest_${randomBytes(4).toString("hex")}`;
    const cleanUp = await insertApiAllowingTiers(apiId, `Orders ${name}`, [name.toLowerCase(), "Gold"]);
    try {
      const usages = await findTierUsages(name);
      expect(usages).toEqual([{ type: "api", id: apiId, label: `Orders ${name} 1.0.0` }]);
      const error = await failure(deleteTier("subscription", name, adminCtx));
      expect(error.status).toBe(409);
      expect(error.message).toContain(`API Orders ${name} 1.0.0`);
      expect(error.extra?.usages).toEqual(usages);
      expect((await getTier("subscription", name, adminCtx)).name).toBe(name);
      // Only subscription tiers are referenced by APIs.
      expect(await findTierUsages(name, "application")).toEqual([]);
    } finally {
      await cleanUp();
    }
    await deleteTier("subscription", name, adminCtx);
  });
});
