import { and, arrayContains, asc, count, eq, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apis } from "@/lib/db/schema";
import { escapeLike } from "@/lib/services/audit/list-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { offsetOf, type Page } from "@/lib/services/pagination";
import { parseInput } from "@/lib/services/validate";
import { canSeeAllApis } from "./access";
import { toApiSummary, type ApiSummary } from "./api-dto";
import { listApisSchema } from "./schemas";

export const summaryColumns = {
  id: apis.id,
  name: apis.name,
  version: apis.version,
  context: apis.context,
  description: apis.description,
  lifecycleState: apis.lifecycleState,
  tags: apis.tags,
  operationCount: apis.operationCount,
  updatedAt: apis.updatedAt,
};

/**
 * The APIs the caller may see (all for admins, owned or co-owned for publishers), searched by
 * name, context or tag, ordered by name. Only the small columns are read.
 */
export async function listApis(input: z.input<typeof listApisSchema>, ctx: ServiceContext): Promise<Page<ApiSummary>> {
  const actor = assertCan(ctx, "apis:read");
  const q = parseInput(listApisSchema, input);
  const where: SQL[] = [];
  if (!canSeeAllApis(actor)) where.push(arrayContains(apis.owners, [actor.id]));
  if (q.state) where.push(eq(apis.lifecycleState, q.state));
  if (q.q) {
    const pattern = `%${escapeLike(q.q.toLowerCase())}%`;
    where.push(sql`${apis.searchText} like ${pattern}`);
  }
  const filter = where.length ? and(...where) : undefined;
  const db = await getDb();
  const [rows, [{ total }]] = await Promise.all([
    db
      .select(summaryColumns)
      .from(apis)
      .where(filter)
      .orderBy(asc(sql`lower(${apis.name})`), asc(apis.id))
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db.select({ total: count() }).from(apis).where(filter),
  ]);
  return { items: rows.map(toApiSummary), total, page: q.page, pageSize: q.pageSize };
}
