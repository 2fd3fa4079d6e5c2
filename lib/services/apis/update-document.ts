import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { apiDocuments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { loadApiForActor } from "./access";
import { documentTitleTaken } from "./create-document";
import { toApiDocument, type ApiDocument } from "./document-dto";
import { updateDocumentSchema } from "./schemas";

export async function updateDocument(
  apiId: string,
  documentId: string,
  input: z.input<typeof updateDocumentSchema>,
  ctx: ServiceContext,
): Promise<ApiDocument> {
  const patch = parseInput(updateDocumentSchema, input);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      await loadApiForActor(tx, apiId, ctx, { write: true });
      const [current] = await tx
        .select()
        .from(apiDocuments)
        .where(and(eq(apiDocuments.apiId, apiId), eq(apiDocuments.id, documentId)))
        .limit(1);
      if (!current) throw new AppError("not_found", "No such document.");
      if (patch.url !== undefined && current.sourceType !== "url")
        throw new AppError("validation_failed", "This is a markdown document: change its content, not a URL.", {
          fieldErrors: { url: "Not a link document." },
        });
      if (patch.content !== undefined && current.sourceType !== "markdown")
        throw new AppError("validation_failed", "This is a link: change its URL, not content.", {
          fieldErrors: { content: "Not a markdown document." },
        });
      const [row] = await tx.update(apiDocuments).set(patch).where(eq(apiDocuments.id, documentId)).returning();
      await writeAudit(tx, ctx, {
        action: "api.document.update",
        objectType: "api",
        objectId: apiId,
        details: { documentId, fields: Object.keys(patch) },
      });
      return toApiDocument(row, { render: true });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw documentTitleTaken();
    throw error;
  }
}
