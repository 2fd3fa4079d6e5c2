import { and, arrayContains, count, desc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { apis, applications, subscriptions, users } from "@/lib/db/schema";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { offsetOf, paginationSchema, type Page } from "@/lib/services/pagination";
import { parseInput } from "@/lib/services/validate";
import { toSubscriptionView, type SubscriptionApprovalView, type SubscriptionView } from "./subscription-dto";

export const SUBSCRIPTION_STATUSES = ["pending", "active", "blocked", "rejected"] as const;

export const listSubscriptionsSchema = paginationSchema.extend({
  applicationId: z.string().trim().max(64).optional(),
  apiId: z.string().trim().max(64).optional(),
  status: z.enum(SUBSCRIPTION_STATUSES).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

export const listApprovalsSchema = paginationSchema.extend({
  status: z.enum(SUBSCRIPTION_STATUSES).default("pending"),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

const viewColumns = {
  id: subscriptions.id,
  applicationId: subscriptions.applicationId,
  applicationName: applications.name,
  apiId: subscriptions.apiId,
  apiName: apis.name,
  apiVersion: apis.version,
  apiContext: apis.context,
  apiLifecycleState: apis.lifecycleState,
  tier: subscriptions.tier,
  status: subscriptions.status,
  createdAt: subscriptions.createdAt,
  decidedAt: subscriptions.decidedAt,
};

/** The subscriptions of the caller's applications, newest first, with the API's name, version and state. */
export async function listSubscriptions(
  input: z.input<typeof listSubscriptionsSchema>,
  ctx: ServiceContext,
): Promise<Page<SubscriptionView>> {
  const actor = assertCan(ctx, "subscriptions:write");
  const q = parseInput(listSubscriptionsSchema, input);
  const where: SQL[] = [eq(applications.ownerId, actor.id)];
  if (q.applicationId) where.push(eq(subscriptions.applicationId, q.applicationId));
  if (q.apiId) where.push(eq(subscriptions.apiId, q.apiId));
  if (q.status) where.push(eq(subscriptions.status, q.status));
  const filter = and(...where);
  const db = await getDb();
  const base = () =>
    db
      .select(viewColumns)
      .from(subscriptions)
      .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
      .innerJoin(apis, eq(apis.id, subscriptions.apiId));
  const [rows, [{ total }]] = await Promise.all([
    base().where(filter).orderBy(desc(subscriptions.createdAt), desc(subscriptions.id)).limit(q.pageSize).offset(offsetOf(q)),
    db
      .select({ total: count() })
      .from(subscriptions)
      .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
      .where(filter),
  ]);
  return { items: rows.map(toSubscriptionView), total, page: q.page, pageSize: q.pageSize };
}

/**
 * Subscriptions an approver decides on: of every API for admins, of the APIs they own or co-own
 * for publishers. Pending ones by default, oldest first (first come, first served).
 */
export async function listSubscriptionApprovals(
  input: z.input<typeof listApprovalsSchema>,
  ctx: ServiceContext,
): Promise<Page<SubscriptionApprovalView>> {
  const actor = assertCan(ctx, "subscriptions:approve");
  const q = parseInput(listApprovalsSchema, input);
  const where: SQL[] = [eq(subscriptions.status, q.status)];
  if (!can(actor.roles, "apis:all")) where.push(arrayContains(apis.owners, [actor.id]));
  const filter = and(...where);
  const db = await getDb();
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ ...viewColumns, ownerEmail: users.email })
      .from(subscriptions)
      .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
      .innerJoin(apis, eq(apis.id, subscriptions.apiId))
      .innerJoin(users, eq(users.id, applications.ownerId))
      .where(filter)
      .orderBy(q.status === "pending" ? subscriptions.createdAt : desc(subscriptions.updatedAt), subscriptions.id)
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db.select({ total: count() }).from(subscriptions).innerJoin(apis, eq(apis.id, subscriptions.apiId)).where(filter),
  ]);
  return { items: rows.map((r) => ({ ...toSubscriptionView(r), ownerEmail: r.ownerEmail })), total, page: q.page, pageSize: q.pageSize };
}
