import { asc, count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { applications, oauthClients, subscriptions } from "@/lib/db/schema";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { offsetOf, paginationSchema, type Page } from "@/lib/services/pagination";
import { parseInput } from "@/lib/services/validate";
import { toApplicationView, type ApplicationView } from "./application-dto";

export interface ApplicationSummary extends ApplicationView {
  subscriptionCount: number;
  /** Key types that have OAuth2 client credentials. */
  keyTypes: string[];
}

export const listApplicationsSchema = paginationSchema.extend({ pageSize: z.coerce.number().int().min(1).max(100).default(50) });

/** The caller's own applications, by name, with their subscription counts. */
export async function listApplications(
  input: z.input<typeof listApplicationsSchema>,
  ctx: ServiceContext,
): Promise<Page<ApplicationSummary>> {
  const actor = assertCan(ctx, "applications:write");
  const q = parseInput(listApplicationsSchema, input);
  const db = await getDb();
  const subCount = db
    .select({ applicationId: subscriptions.applicationId, n: count().as("n") })
    .from(subscriptions)
    .groupBy(subscriptions.applicationId)
    .as("sub_count");
  const keyTypes = db
    .select({
      applicationId: oauthClients.applicationId,
      types: sql<string[]>`array_agg(${oauthClients.keyType} order by ${oauthClients.keyType})`.as("types"),
    })
    .from(oauthClients)
    .groupBy(oauthClients.applicationId)
    .as("key_types");
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ app: applications, n: subCount.n, types: keyTypes.types })
      .from(applications)
      .leftJoin(subCount, eq(subCount.applicationId, applications.id))
      .leftJoin(keyTypes, eq(keyTypes.applicationId, applications.id))
      .where(eq(applications.ownerId, actor.id))
      .orderBy(asc(sql`lower(${applications.name})`), asc(applications.id))
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db.select({ total: count() }).from(applications).where(eq(applications.ownerId, actor.id)),
  ]);
  return {
    items: rows.map((r) => ({ ...toApplicationView(r.app), subscriptionCount: Number(r.n ?? 0), keyTypes: r.types ?? [] })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
