import { and, arrayContains, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apis, deployments, environments } from "@/lib/db/schema";
import type { ServiceContext } from "@/lib/services/context";
import { offsetOf, type Page } from "@/lib/services/pagination";
import { parseInput } from "@/lib/services/validate";
import { toCatalogItem, type CatalogItem } from "./catalog-dto";
import { listCatalogSchema, type ListCatalogInput } from "./schemas";
import { matchesSearch, toPrefixQuery } from "./search-query";
import { canSeeEnvironment, catalogFilter } from "./visibility";

const itemColumns = {
  id: apis.id,
  name: apis.name,
  version: apis.version,
  context: apis.context,
  description: apis.description,
  tags: apis.tags,
  lifecycleState: apis.lifecycleState,
  operationCount: apis.operationCount,
  updatedAt: apis.updatedAt,
};

/**
 * The catalog, a page at a time, for anyone (anonymous included): the APIs the caller may see,
 * searched by word prefixes of name, description and tags (a GIN index), filtered by tag and by
 * the gateway environment they are deployed to, ordered by name. Small columns only.
 */
export async function listCatalog(input: ListCatalogInput, ctx: ServiceContext): Promise<Page<CatalogItem>> {
  const q = parseInput(listCatalogSchema, input);
  const actor = ctx.actor;
  const db = await getDb();
  const where: SQL[] = [catalogFilter(actor)];
  const search = q.q ? toPrefixQuery(q.q) : null;
  if (search) where.push(matchesSearch(search));
  if (q.tag) where.push(arrayContains(apis.tags, [q.tag]));
  if (q.environment) {
    const [env] = await db.select().from(environments).where(eq(environments.name, q.environment)).limit(1);
    // An environment the caller may not see filters everything out, as an unknown one does.
    if (!env || !canSeeEnvironment(actor, env)) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    where.push(
      inArray(
        apis.id,
        db
          .select({ id: deployments.apiId })
          .from(deployments)
          .where(and(eq(deployments.environmentId, env.id), eq(deployments.status, "deployed"))),
      ),
    );
  }
  const filter = and(...where);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select(itemColumns)
      .from(apis)
      .where(filter)
      .orderBy(asc(sql`lower(${apis.name})`), asc(apis.id))
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db.select({ total: count() }).from(apis).where(filter),
  ]);
  return { items: rows.map(toCatalogItem), total, page: q.page, pageSize: q.pageSize };
}

export interface CatalogEnvironment {
  name: string;
  displayName: string;
  region: string;
}

/** Environments for the catalog's filter: those the caller may see. */
export async function listCatalogEnvironments(ctx: ServiceContext): Promise<CatalogEnvironment[]> {
  const db = await getDb();
  const rows = await db
    .select({
      name: environments.name,
      displayName: environments.displayName,
      region: environments.region,
      visibleRoles: environments.visibleRoles,
    })
    .from(environments)
    .orderBy(asc(environments.displayName))
    .limit(200);
  return rows.filter((e) => canSeeEnvironment(ctx.actor, e)).map(({ name, displayName, region }) => ({ name, displayName, region }));
}
