import { count, eq } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apiRevisions, apis } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { loadFullApiForActor } from "./access";
import { settingsSnapshot } from "./api-dto";
import { maxRevisions } from "./limits";
import { toRevisionSummary, type RevisionSummary } from "./revision-dto";
import { createRevisionSchema } from "./schemas";

/**
 * Snapshots the working copy (document and settings) as the next numbered revision. The
 * number of revisions kept is bounded: past the limit, the caller must delete one first, so
 * that no revision disappears without someone choosing it.
 */
export async function createRevision(
  apiId: string,
  input: z.input<typeof createRevisionSchema>,
  ctx: ServiceContext,
): Promise<RevisionSummary> {
  const values = parseInput(createRevisionSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    // The row lock serializes revision numbering and the limit check.
    const { actor, api } = await loadFullApiForActor(tx, apiId, ctx, { write: true, lock: true });
    const limit = maxRevisions();
    const [{ n }] = await tx.select({ n: count() }).from(apiRevisions).where(eq(apiRevisions.apiId, apiId));
    if (n >= limit) {
      throw new AppError(
        "conflict",
        `This API already has ${n} revisions, the most Meridian keeps (${limit}). Delete a revision that is not deployed, then create the new one.`,
        {
          extra: { maxRevisions: limit, revisions: n },
        },
      );
    }
    const number = api.lastRevisionNumber + 1;
    const [row] = await tx
      .insert(apiRevisions)
      .values({
        id: newId("rev"),
        apiId,
        number,
        description: values.description,
        definition: api.definition,
        definitionSource: api.definitionSource,
        definitionFormat: api.definitionFormat,
        sourceSpec: api.sourceSpec,
        settings: settingsSnapshot(api),
        operationCount: api.operationCount,
        createdBy: actor.id,
        createdByEmail: actor.email,
      })
      .returning({
        id: apiRevisions.id,
        apiId: apiRevisions.apiId,
        number: apiRevisions.number,
        description: apiRevisions.description,
        operationCount: apiRevisions.operationCount,
        sourceSpec: apiRevisions.sourceSpec,
        createdBy: apiRevisions.createdBy,
        createdByEmail: apiRevisions.createdByEmail,
        createdAt: apiRevisions.createdAt,
      });
    await tx.update(apis).set({ lastRevisionNumber: number }).where(eq(apis.id, apiId));
    await writeAudit(tx, ctx, {
      action: "api.revision.create",
      objectType: "api",
      objectId: apiId,
      details: { revisionId: row.id, number },
    });
    return toRevisionSummary(row, false);
  });
}
