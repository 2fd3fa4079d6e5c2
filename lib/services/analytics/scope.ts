import { arrayContains } from "drizzle-orm";
import { sql, type SQL } from "drizzle-orm";
import { eq } from "drizzle-orm";
import { can } from "@/lib/auth/permissions";
import type { DbOrTx } from "@/lib/db/client";
import { apis, applications } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { canSeeAllApis } from "@/lib/services/apis/access";
import { requireActor, type ServiceContext } from "@/lib/services/context";
import { pgArray } from "./pg-array";
import type { AnalyticsScope } from "./schemas";

export interface ResolvedScope {
  scope: AnalyticsScope | "mine";
  /** A condition on roll-up-shaped rows, or null for everything. */
  condition: SQL | null;
}

async function ownApiIds(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: apis.id })
    .from(apis)
    .where(arrayContains(apis.owners, [userId]));
  return rows.map((r) => r.id);
}

async function ownApplicationIds(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db.select({ id: applications.id }).from(applications).where(eq(applications.ownerId, userId));
  return rows.map((r) => r.id);
}

/**
 * Decides whose traffic the caller sees. Admins (analytics:all) see everything; publishers the
 * traffic of the APIs they own (all APIs for whoever sees all APIs); consumers the traffic of
 * their own applications. The condition is built from ids looked up now, so a transferred API
 * or application changes what its old owner sees at once.
 */
export async function resolveScope(db: DbOrTx, ctx: ServiceContext, requested: AnalyticsScope | undefined): Promise<ResolvedScope> {
  const actor = requireActor(ctx);
  const admin = can(actor.roles, "analytics:all");
  if (requested === "all" || (!requested && admin)) {
    if (!admin) throw new AppError("forbidden", "Only administrators see the traffic of every API and application.");
    return { scope: "all", condition: null };
  }
  const apiCondition = async (): Promise<SQL> => {
    if (canSeeAllApis(actor)) return sql`true`;
    return sql`api_id = any(${pgArray(await ownApiIds(db, actor.id))}::text[])`;
  };
  const applicationCondition = async (): Promise<SQL> =>
    sql`application_id = any(${pgArray(await ownApplicationIds(db, actor.id))}::text[])`;
  if (requested === "publisher") {
    if (!can(actor.roles, "apis:read")) throw new AppError("forbidden", "Only publishers see the traffic of their APIs.");
    return { scope: "publisher", condition: await apiCondition() };
  }
  if (requested === "consumer") return { scope: "consumer", condition: await applicationCondition() };
  const parts = [await applicationCondition()];
  if (can(actor.roles, "apis:read")) parts.push(await apiCondition());
  return { scope: "mine", condition: sql`(${sql.join(parts, sql` or `)})` };
}
