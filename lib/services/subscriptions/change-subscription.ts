import { eq } from "drizzle-orm";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { apis, applications, subscriptions, type SubscriptionRow, type SubscriptionStatus } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { requestKeySync } from "@/lib/services/deployments/request-key-sync";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";

export type SubscriptionDecision = "approve" | "reject" | "block" | "unblock";
const NEXT: Record<SubscriptionDecision, { from: SubscriptionStatus[]; to: SubscriptionStatus }> = {
  approve: { from: ["pending"], to: "active" },
  reject: { from: ["pending"], to: "rejected" },
  block: { from: ["active", "pending"], to: "blocked" },
  unblock: { from: ["blocked"], to: "active" },
};

/** Approve, reject, block or unblock: admins, or a publisher who owns the API. */
export async function decideSubscription(id: string, decision: SubscriptionDecision, ctx: ServiceContext): Promise<SubscriptionRow> {
  const actor = assertCan(ctx, "subscriptions:approve");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ sub: subscriptions, owners: apis.owners })
      .from(subscriptions)
      .innerJoin(apis, eq(apis.id, subscriptions.apiId))
      .where(eq(subscriptions.id, id))
      .for("update")
      .limit(1);
    if (!row || (!can(actor.roles, "apis:all") && !row.owners.includes(actor.id))) throw new AppError("not_found", "No such subscription.");
    const rule = NEXT[decision];
    if (!rule.from.includes(row.sub.status))
      throw new AppError(
        "invalid_transition",
        `A ${row.sub.status} subscription cannot be ${decision === "approve" ? "approved" : decision + "ed"}.`,
      );
    const [updated] = await tx
      .update(subscriptions)
      .set({ status: rule.to, decidedBy: actor.id, decidedAt: new Date() })
      .where(eq(subscriptions.id, id))
      .returning();
    await bumpSnapshotVersions(tx);
    await requestKeySync(tx, { apiIds: [row.sub.apiId] });
    await writeAudit(tx, ctx, { action: `subscription.${decision}`, objectType: "subscription", objectId: id });
    return updated;
  });
}

/** The application's owner ends a subscription. */
export async function deleteSubscription(id: string, ctx: ServiceContext): Promise<void> {
  const actor = assertCan(ctx, "subscriptions:write");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ sub: subscriptions, ownerId: applications.ownerId })
      .from(subscriptions)
      .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
      .where(eq(subscriptions.id, id))
      .limit(1);
    if (!row || (row.ownerId !== actor.id && !can(actor.roles, "users:write"))) throw new AppError("not_found", "No such subscription.");
    await tx.delete(subscriptions).where(eq(subscriptions.id, id));
    await bumpSnapshotVersions(tx);
    await requestKeySync(tx, { apiIds: [row.sub.apiId] });
    await writeAudit(tx, ctx, { action: "subscription.delete", objectType: "subscription", objectId: id });
  });
}
