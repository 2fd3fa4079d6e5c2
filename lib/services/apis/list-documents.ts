import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiDocuments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/services/context";
import { loadApiForActor } from "./access";
import { toApiDocument, type ApiDocument } from "./document-dto";

export const MAX_DOCUMENTS_PER_API = 100;

/** Documents of an API, by title; markdown ones rendered (sanitized) when asked. */
export async function listDocuments(apiId: string, ctx: ServiceContext, options: { render?: boolean } = {}): Promise<ApiDocument[]> {
  const db = await getDb();
  await loadApiForActor(db, apiId, ctx);
  const rows = await db
    .select()
    .from(apiDocuments)
    .where(eq(apiDocuments.apiId, apiId))
    .orderBy(asc(apiDocuments.title))
    .limit(MAX_DOCUMENTS_PER_API);
  return rows.map((r) => toApiDocument(r, options));
}

export async function getDocument(apiId: string, documentId: string, ctx: ServiceContext): Promise<ApiDocument> {
  const db = await getDb();
  await loadApiForActor(db, apiId, ctx);
  const [row] = await db
    .select()
    .from(apiDocuments)
    .where(and(eq(apiDocuments.apiId, apiId), eq(apiDocuments.id, documentId)))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such document.");
  return toApiDocument(row, { render: true });
}
