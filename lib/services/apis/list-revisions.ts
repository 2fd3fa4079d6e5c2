import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiRevisions } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/services/context";
import { loadApiForActor } from "./access";
import { maxRevisions } from "./limits";
import { toRevisionSummary, type RevisionDetail, type RevisionSummary } from "./revision-dto";
import { isRevisionDeployed } from "./usage";

const summaryColumns = {
  id: apiRevisions.id,
  apiId: apiRevisions.apiId,
  number: apiRevisions.number,
  description: apiRevisions.description,
  operationCount: apiRevisions.operationCount,
  sourceSpec: apiRevisions.sourceSpec,
  createdBy: apiRevisions.createdBy,
  createdByEmail: apiRevisions.createdByEmail,
  createdAt: apiRevisions.createdAt,
};

/** Revisions of an API, newest first (a bounded number: see MERIDIAN_MAX_REVISIONS). */
export async function listRevisions(apiId: string, ctx: ServiceContext): Promise<{ items: RevisionSummary[]; maxRevisions: number }> {
  const db = await getDb();
  await loadApiForActor(db, apiId, ctx);
  const rows = await db.select(summaryColumns).from(apiRevisions).where(eq(apiRevisions.apiId, apiId)).orderBy(desc(apiRevisions.number));
  const items = await Promise.all(rows.map(async (r) => toRevisionSummary(r, await isRevisionDeployed(db, r.id))));
  return { items, maxRevisions: maxRevisions() };
}

export async function getRevision(apiId: string, revisionId: string, ctx: ServiceContext): Promise<RevisionDetail> {
  const db = await getDb();
  await loadApiForActor(db, apiId, ctx);
  const [row] = await db
    .select()
    .from(apiRevisions)
    .where(and(eq(apiRevisions.apiId, apiId), eq(apiRevisions.id, revisionId)))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such revision of this API.");
  return { ...toRevisionSummary(row, await isRevisionDeployed(db, row.id)), settings: row.settings, definition: row.definition };
}
