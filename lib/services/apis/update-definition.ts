import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apis } from "@/lib/db/schema";
import { extractOperations } from "@/lib/domain/openapi/operations";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { apiMetaColumns, loadFullApiForActor, ownersOf } from "./access";
import { toApiDetail, type ApiDetail } from "./api-dto";
import { prepareOrThrow } from "./definition-input";

export interface DefinitionCheck {
  valid: true;
  spec: string;
  format: string;
  operationCount: number;
  warnings: string[];
}

/**
 * Replaces the working copy's document. An invalid document is refused with its errors and
 * the stored one stays as it was; per-operation policies carry over by method and path.
 * With dryRun the document is only checked.
 */
export async function updateDefinition(
  id: string,
  text: string,
  ctx: ServiceContext,
  options: { dryRun?: boolean } = {},
): Promise<ApiDetail | DefinitionCheck> {
  assertCan(ctx, "apis:write");
  if (typeof text !== "string") throw new AppError("bad_request", "Send the document as JSON or YAML text.");
  const db = await getDb();
  // Ownership first, so that strangers learn nothing from validation errors.
  const { api: before } = await loadFullApiForActor(db, id, ctx, { write: true });
  const prepared = await prepareOrThrow(text, before.operations);
  if (options.dryRun)
    return {
      valid: true,
      spec: prepared.spec,
      format: prepared.format,
      operationCount: prepared.operations.length,
      warnings: prepared.warnings,
    };
  return db.transaction(async (tx) => {
    const { api } = await loadFullApiForActor(tx, id, ctx, { write: true, lock: true });
    // Re-carry policies from the locked row, in case they changed while the document was checked.
    const operations = extractOperations(prepared.document, api.operations);
    const [row] = await tx
      .update(apis)
      .set({
        definition: prepared.document,
        definitionSource: prepared.source,
        definitionFormat: prepared.format,
        sourceSpec: prepared.spec,
        operations,
        operationCount: operations.length,
      })
      .where(eq(apis.id, id))
      .returning(apiMetaColumns);
    await writeAudit(tx, ctx, {
      action: "api.update_definition",
      objectType: "api",
      objectId: id,
      details: { spec: prepared.spec, operations: operations.length, bytes: Buffer.byteLength(text) },
    });
    return toApiDetail(row, await ownersOf(tx, row.owners));
  });
}
