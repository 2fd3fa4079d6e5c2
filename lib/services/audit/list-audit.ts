import { and, count, desc, eq, getTableColumns, gte, ilike, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { auditEntries, type AuditEntry } from "@/lib/db/schema";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { offsetOf, paginationSchema, type Page } from "@/lib/services/pagination";

export const listAuditSchema = paginationSchema.extend({
  actor: z.string().trim().max(200).optional(),
  objectType: z.string().trim().max(100).optional(),
  objectId: z.string().trim().max(100).optional(),
  action: z.string().trim().max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type ListAuditInput = z.input<typeof listAuditSchema>;

/** An entry as listed: the write-order column only sorts. */
export type ListedAuditEntry = Omit<AuditEntry, "seq">;

const { seq: _seq, ...listedColumns } = getTableColumns(auditEntries);

export async function listAudit(input: ListAuditInput, ctx: ServiceContext): Promise<Page<ListedAuditEntry>> {
  assertCan(ctx, "audit:read");
  const q = parseInput(listAuditSchema, input);
  const where: SQL[] = [];
  if (q.actor) where.push(ilike(auditEntries.actorEmail, `%${escapeLike(q.actor)}%`));
  if (q.objectType) where.push(eq(auditEntries.objectType, q.objectType));
  if (q.objectId) where.push(eq(auditEntries.objectId, q.objectId));
  if (q.action) where.push(ilike(auditEntries.action, `${escapeLike(q.action)}%`));
  if (q.from) where.push(gte(auditEntries.at, q.from));
  if (q.to) where.push(lte(auditEntries.at, q.to));
  const db = await getDb();
  const filter = where.length ? and(...where) : undefined;
  const [items, [{ total }]] = await Promise.all([
    db
      .select(listedColumns)
      .from(auditEntries)
      .where(filter)
      .orderBy(desc(auditEntries.at), desc(auditEntries.seq))
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db.select({ total: count() }).from(auditEntries).where(filter),
  ]);
  return { items, total, page: q.page, pageSize: q.pageSize };
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
