import { eq } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { apiDocuments, apiLifecycleEvents, apis } from "@/lib/db/schema";
import { withInfoVersion } from "@/lib/domain/openapi/edit";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { apiMetaColumns, contextHolder, contextTakenError, loadFullApiForActor, ownersOf } from "./access";
import { toApiDetail, type ApiDetail } from "./api-dto";
import { createApiVersionSchema } from "./schemas";
import { apiSearchText } from "./search-text";

/**
 * A new version of an existing API: a copy of its working copy (document, settings, policies
 * and documents) under a new version, in CREATED state. The original is not changed. The
 * caller becomes the first owner; the original's owners stay co-owners.
 */
export async function createApiVersion(
  sourceId: string,
  input: z.input<typeof createApiVersionSchema>,
  ctx: ServiceContext,
): Promise<ApiDetail> {
  const values = parseInput(createApiVersionSchema, input);
  const db = await getDb();
  const { actor, api: source } = await loadFullApiForActor(db, sourceId, ctx, { write: true });
  const context = values.context ?? source.context;
  const holder = await contextHolder(db, context, values.version);
  if (holder) throw contextTakenError(context, values.version, holder);
  const edited = withInfoVersion(source.definition, source.definitionSource, source.definitionFormat, values.version);
  try {
    return await db.transaction(async (tx) => {
      const id = newId("api");
      const [row] = await tx
        .insert(apis)
        .values({
          ...source,
          id,
          version: values.version,
          context,
          searchText: apiSearchText({ name: source.name, context, tags: source.tags }),
          lifecycleState: "CREATED",
          origin: "meridian",
          owners: [actor.id, ...source.owners.filter((o) => o !== actor.id)],
          definition: edited.document,
          definitionSource: edited.source,
          lastRevisionNumber: 0,
          createdBy: actor.id,
          createdAt: new Date(),
          updatedAt: new Date(),
        })
        .returning(apiMetaColumns);
      const documents = await tx.select().from(apiDocuments).where(eq(apiDocuments.apiId, sourceId));
      if (documents.length) {
        await tx
          .insert(apiDocuments)
          .values(documents.map((d) => ({ ...d, id: newId("doc"), apiId: id, createdAt: new Date(), updatedAt: new Date() })));
      }
      await tx.insert(apiLifecycleEvents).values({
        id: newId("lce"),
        apiId: id,
        action: "create",
        fromState: "CREATED",
        toState: "CREATED",
        actorId: actor.id,
        actorEmail: actor.email,
      });
      await writeAudit(tx, ctx, {
        action: "api.create_version",
        objectType: "api",
        objectId: id,
        details: { from: sourceId, version: values.version, context },
      });
      return toApiDetail(row, await ownersOf(tx, row.owners));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw contextTakenError(context, values.version, await contextHolder(db, context, values.version));
    throw error;
  }
}
