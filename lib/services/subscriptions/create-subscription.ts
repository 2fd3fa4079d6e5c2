import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apis, applications, subscriptions, type SubscriptionRow } from "@/lib/db/schema";
import { findOfferedTier, offeredTiers } from "@/lib/domain/tiers/offered-tiers";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { isDeployedByMeridian } from "@/lib/services/deployments/is-deployed";
import { requestKeySync } from "@/lib/services/deployments/request-key-sync";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getSettings } from "@/lib/services/settings/get-settings";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { listTierRows } from "@/lib/services/tiers/list-tiers";
import { parseInput } from "@/lib/services/validate";

export const subscribeSchema = z.object({
  applicationId: z.string().min(1).max(64),
  apiId: z.string().min(1).max(64),
  tier: z.string().trim().min(1, "Choose a tier.").max(100),
});

/** Lifecycle states that take new subscriptions. */
const SUBSCRIBABLE = new Set(["PUBLISHED"]);

/**
 * Subscribes one of the actor's applications to an API on one of its tiers. Waits for approval
 * when the setting asks for it. Subscribing again on the same tier answers the existing
 * subscription (two quick clicks make one).
 */
export async function createSubscription(input: unknown, ctx: ServiceContext): Promise<SubscriptionRow & { created: boolean }> {
  const actor = assertCan(ctx, "subscriptions:write");
  const values = parseInput(subscribeSchema, input);
  const { subscriptionApproval } = await getSettings();
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [app] = await tx.select().from(applications).where(eq(applications.id, values.applicationId)).limit(1);
    if (!app) throw new AppError("validation_failed", "No such application.", { fieldErrors: { applicationId: "No such application." } });
    if (app.ownerId !== actor.id) throw new AppError("forbidden", "You can subscribe only with your own applications.");
    const [api] = await tx.select().from(apis).where(eq(apis.id, values.apiId)).limit(1);
    if (!api) throw new AppError("validation_failed", "No such API.", { fieldErrors: { apiId: "No such API." } });
    if (api.visibility === "roles" && !api.visibleRoles.some((r) => actor.roles.includes(r as never)))
      throw new AppError("validation_failed", "No such API.", { fieldErrors: { apiId: "No such API." } });
    if (!SUBSCRIBABLE.has(api.lifecycleState)) {
      const why =
        api.lifecycleState === "DEPRECATED"
          ? "is deprecated and takes no new subscriptions"
          : api.lifecycleState === "RETIRED"
            ? "is retired"
            : `is ${api.lifecycleState.toLowerCase()}, not published`;
      throw new AppError("bad_request", `${api.name} ${api.version} ${why}.`);
    }
    // An API found on a gateway runs under that gateway's own credentials until Meridian deploys it somewhere.
    if (api.origin.startsWith("discovered:") && !(await isDeployedByMeridian(tx, api.id))) {
      throw new AppError(
        "bad_request",
        `${api.name} ${api.version} runs on a gateway that checks its own credentials: it takes subscriptions once it is deployed through Meridian.`,
      );
    }
    // Every tier when the publisher allowed none in particular; a tier deleted since is not on offer (gateways would not know it).
    const existingTiers = await listTierRows("subscription", tx);
    // Stored with the tier's own spelling (`tier.name`), which is what gateways look up.
    const tier = findOfferedTier(api.allowedTiers, existingTiers, values.tier);
    if (!tier) {
      const names = offeredTiers(api.allowedTiers, existingTiers).map((t) => t.name);
      const offered = names.length ? names.join(", ") : "none";
      throw new AppError("validation_failed", `${api.name} does not offer the ${values.tier} tier (offered: ${offered}).`, {
        fieldErrors: {
          tier: names.length ? `Choose one of: ${offered}.` : "No subscription tier exists yet: an admin creates them in the admin portal.",
        },
      });
    }
    const [existing] = await tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.applicationId, app.id), eq(subscriptions.apiId, api.id)))
      .for("update")
      .limit(1);
    if (existing && existing.status !== "rejected") {
      if (existing.tier === tier.name) return { ...existing, created: false };
      throw new AppError(
        "conflict",
        `${app.name} is already subscribed to ${api.name} on ${existing.tier}. Unsubscribe first to change the tier.`,
      );
    }
    const status = subscriptionApproval ? "pending" : "active";
    const [row] = existing
      ? await tx
          .update(subscriptions)
          .set({ tier: tier.name, status, decidedBy: null, decidedAt: null })
          .where(eq(subscriptions.id, existing.id))
          .returning()
      : await tx
          .insert(subscriptions)
          .values({ id: newId("sub"), applicationId: app.id, apiId: api.id, tier: tier.name, status })
          .onConflictDoNothing()
          .returning();
    if (!row) {
      // A concurrent request inserted it first: answer that one.
      const [winner] = await tx
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.applicationId, app.id), eq(subscriptions.apiId, api.id)))
        .limit(1);
      return { ...winner, created: false };
    }
    await bumpSnapshotVersions(tx);
    if (status === "active") await requestKeySync(tx, { apiIds: [api.id] });
    await writeAudit(tx, ctx, {
      action: "subscription.create",
      objectType: "subscription",
      objectId: row.id,
      details: { applicationId: app.id, apiId: api.id, tier: tier.name, status },
    });
    return { ...row, created: true };
  });
}
