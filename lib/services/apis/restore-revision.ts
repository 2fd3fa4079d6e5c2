import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { apiRevisions, apis } from "@/lib/db/schema";
import { extractOperations, operationKey, type ApiOperation } from "@/lib/domain/openapi/operations";
import { normalizeScopes } from "@/lib/domain/openapi/scopes";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { apiMetaColumns, contextHolder, contextTakenError, loadApiForActor, ownersOf } from "./access";
import { toApiDetail, type ApiDetail } from "./api-dto";
import { apiSearchText } from "./search-text";

/**
 * The scopes a revision recorded for an operation (none when it recorded none), kept as an
 * override only where they differ from what the document asks for.
 */
function restoredScopes(op: ApiOperation, recorded: string[] | undefined): string[] | null {
  const scopes = normalizeScopes(recorded ?? []);
  const fromDocument = normalizeScopes(op.documentScopes ?? []);
  return scopes.join(" ") === fromDocument.join(" ") ? null : scopes;
}

/**
 * Copies a revision's document and settings back into the working copy. Owners and the
 * lifecycle state are not part of a revision and stay as they are; the revision itself is
 * unchanged.
 */
export async function restoreRevision(apiId: string, revisionId: string, ctx: ServiceContext): Promise<ApiDetail> {
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      await loadApiForActor(tx, apiId, ctx, { write: true, lock: true });
      const [rev] = await tx
        .select()
        .from(apiRevisions)
        .where(and(eq(apiRevisions.apiId, apiId), eq(apiRevisions.id, revisionId)))
        .limit(1);
      if (!rev) throw new AppError("not_found", "No such revision of this API.");
      const s = rev.settings;
      const holder = await contextHolder(tx, s.context, s.version, apiId);
      if (holder) throw contextTakenError(s.context, s.version, holder);
      const policies: ApiOperation[] = Object.entries(s.operationPolicies ?? {}).map(([key, p]) => {
        const [method, ...rest] = key.split(" ");
        return { method: method.toLowerCase(), path: rest.join(" "), security: p.security, rateLimit: p.rateLimit } as ApiOperation;
      });
      const operations = extractOperations(rev.definition, policies).map((op) => ({
        ...op,
        scopes: restoredScopes(op, s.operationPolicies?.[operationKey(op)]?.scopes),
      }));
      const [row] = await tx
        .update(apis)
        .set({
          name: s.name,
          description: s.description,
          version: s.version,
          context: s.context,
          tags: s.tags,
          searchText: apiSearchText(s),
          visibility: s.visibility,
          visibleRoles: s.visibleRoles,
          endpoints: s.endpoints,
          security: s.security,
          rateLimit: s.rateLimit,
          cors: s.cors,
          allowedTiers: s.allowedTiers,
          definition: rev.definition,
          definitionSource: rev.definitionSource,
          definitionFormat: rev.definitionFormat,
          sourceSpec: rev.sourceSpec,
          operations,
          operationCount: operations.length,
        })
        .where(eq(apis.id, apiId))
        .returning(apiMetaColumns);
      await writeAudit(tx, ctx, {
        action: "api.revision.restore",
        objectType: "api",
        objectId: apiId,
        details: { revisionId, number: rev.number },
      });
      return toApiDetail(row, await ownersOf(tx, row.owners));
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", "Another API took this revision's context and version while it was being restored. Try again.");
    throw error;
  }
}
