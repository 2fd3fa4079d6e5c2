import { count, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { apiDocuments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { loadApiForActor } from "./access";
import { toApiDocument, type ApiDocument } from "./document-dto";
import { MAX_DOCUMENTS_PER_API } from "./list-documents";
import { createDocumentSchema, type CreateDocumentInput } from "./schemas";

export function documentTitleTaken(): AppError {
  return new AppError("conflict", "This API already has a document with this title.", {
    fieldErrors: { title: "This API already has a document with this title." },
  });
}

/** Adds a markdown document or an external link (http or https only) to an API. */
export async function createDocument(apiId: string, input: CreateDocumentInput, ctx: ServiceContext): Promise<ApiDocument> {
  const values = parseInput(createDocumentSchema, input);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const { actor } = await loadApiForActor(tx, apiId, ctx, { write: true, lock: true });
      const [{ n }] = await tx.select({ n: count() }).from(apiDocuments).where(eq(apiDocuments.apiId, apiId));
      if (n >= MAX_DOCUMENTS_PER_API) throw new AppError("conflict", `An API has at most ${MAX_DOCUMENTS_PER_API} documents.`);
      const [row] = await tx
        .insert(apiDocuments)
        .values({
          id: newId("doc"),
          apiId,
          title: values.title,
          kind: values.kind,
          sourceType: values.sourceType,
          content: values.sourceType === "markdown" ? values.content : "",
          url: values.sourceType === "url" ? values.url : null,
          createdBy: actor.id,
        })
        .returning();
      await writeAudit(tx, ctx, {
        action: "api.document.create",
        objectType: "api",
        objectId: apiId,
        details: { documentId: row.id, title: row.title },
      });
      return toApiDocument(row, { render: true });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw documentTitleTaken();
    throw error;
  }
}
