import { sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/lib/db/client";
import type { ApiOperation } from "@/lib/domain/openapi/operations";
import { escapeLike } from "@/lib/services/audit/list-audit";
import type { ServiceContext } from "@/lib/services/context";
import { offsetOf, type Page } from "@/lib/services/pagination";
import { parseInput } from "@/lib/services/validate";
import { loadApiForActor } from "./access";
import { listOperationsSchema } from "./schemas";

/**
 * A page of an API's operations, searched by path, operation id, summary or method. The
 * database expands and pages the stored list, so a document of thousands of operations
 * never travels whole to the page.
 */
export async function listOperations(
  apiId: string,
  input: z.input<typeof listOperationsSchema>,
  ctx: ServiceContext,
): Promise<Page<ApiOperation>> {
  const q = parseInput(listOperationsSchema, input);
  const db = await getDb();
  // Ownership check without reading the large columns.
  await loadApiForActor(db, apiId, ctx);
  const pattern = q.q ? `%${escapeLike(q.q.toLowerCase())}%` : null;
  const filter = pattern
    ? sql`and (lower(op->>'path') like ${pattern} or lower(coalesce(op->>'operationId', '')) like ${pattern} or lower(coalesce(op->>'summary', '')) like ${pattern} or op->>'method' = ${q.q!.toLowerCase()})`
    : sql``;
  const result = await db.execute<{ op: ApiOperation; total: number }>(sql`
    select op, count(*) over () as total
    from apis a, jsonb_array_elements(a.operations) with ordinality as e(op, idx)
    where a.id = ${apiId} ${filter}
    order by idx
    limit ${q.pageSize} offset ${offsetOf(q)}`);
  const rows = Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []);
  const typed = rows as Array<{ op: ApiOperation | string; total: number | string }>;
  let total = typed.length ? Number(typed[0].total) : 0;
  if (!typed.length && q.page > 1) {
    // Past the last page: still say how many there are.
    const counted = await db.execute<{ n: number }>(
      sql`select count(*) as n from apis a, jsonb_array_elements(a.operations) as e(op) where a.id = ${apiId} ${filter}`,
    );
    const countRows = (Array.isArray(counted) ? counted : ((counted as { rows?: unknown[] }).rows ?? [])) as Array<{ n: number | string }>;
    total = Number(countRows[0]?.n ?? 0);
  }
  const items = typed
    .map((r) => (typeof r.op === "string" ? (JSON.parse(r.op) as ApiOperation) : r.op))
    // Operations stored before scopes existed lack both members.
    .map((op) => ({ ...op, documentScopes: op.documentScopes ?? [], scopes: op.scopes ?? null }));
  return { items, total, page: q.page, pageSize: q.pageSize };
}
