import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiDocuments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { loadApiForActor } from "./access";

export async function deleteDocument(apiId: string, documentId: string, ctx: ServiceContext): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await loadApiForActor(tx, apiId, ctx, { write: true });
    const deleted = await tx
      .delete(apiDocuments)
      .where(and(eq(apiDocuments.apiId, apiId), eq(apiDocuments.id, documentId)))
      .returning({ id: apiDocuments.id, title: apiDocuments.title });
    if (deleted.length === 0) throw new AppError("not_found", "No such document.");
    await writeAudit(tx, ctx, {
      action: "api.document.delete",
      objectType: "api",
      objectId: apiId,
      details: { documentId, title: deleted[0].title },
    });
  });
}
