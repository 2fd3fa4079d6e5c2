import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { isForeignKeyViolation } from "@/lib/db/errors";
import { apiRevisions } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { loadApiForActor } from "./access";
import { isRevisionDeployed } from "./usage";

/** Deletes a revision that no gateway serves; its number is not reused. */
export async function deleteRevision(apiId: string, revisionId: string, ctx: ServiceContext): Promise<void> {
  const db = await getDb();
  let number: number | undefined;
  try {
    await db.transaction(async (tx) => {
      await loadApiForActor(tx, apiId, ctx, { write: true, lock: true });
      const [row] = await tx
        .select({ id: apiRevisions.id, number: apiRevisions.number })
        .from(apiRevisions)
        .where(and(eq(apiRevisions.apiId, apiId), eq(apiRevisions.id, revisionId)))
        .limit(1);
      if (!row) throw new AppError("not_found", "No such revision of this API.");
      number = row.number;
      if (await isRevisionDeployed(tx, row.id))
        throw new AppError("conflict", `Revision ${row.number} is deployed: undeploy it before deleting it.`);
      await tx.delete(apiRevisions).where(eq(apiRevisions.id, row.id));
      await writeAudit(tx, ctx, {
        action: "api.revision.delete",
        objectType: "api",
        objectId: apiId,
        details: { revisionId: row.id, number: row.number },
      });
    });
  } catch (error) {
    // An undeployed deployment record still names the revision it last served.
    if (isForeignKeyViolation(error))
      throw new AppError(
        "conflict",
        `Revision ${number} is still named by a deployment record: deploy another revision to that environment first.`,
      );
    throw error;
  }
}
