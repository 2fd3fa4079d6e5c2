import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiRevisions, type ApiRow, type ApiSettingsSnapshot } from "@/lib/db/schema";
import { diffFields, diffTexts, stableJson, type FieldChange, type TextDiff } from "@/lib/domain/openapi/diff";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/services/context";
import { loadFullApiForActor } from "./access";
import { settingsSnapshot } from "./api-dto";

/** "current" names the working copy. */
export const WORKING_COPY = "current";

export interface RevisionComparison {
  from: { id: string; label: string };
  to: { id: string; label: string };
  definition: TextDiff;
  settings: FieldChange[];
}

interface Side {
  id: string;
  label: string;
  source: string;
  format: string;
  definition: Record<string, unknown>;
  settings: ApiSettingsSnapshot;
}

/** Nested settings compared one level deep, so that a change reads "endpoints.production". */
function flatten(settings: ApiSettingsSnapshot): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value)) out[`${key}.${sub}`] = v;
    } else out[key] = value;
  }
  return out;
}

async function side(db: Awaited<ReturnType<typeof getDb>>, api: ApiRow, id: string): Promise<Side> {
  if (id === WORKING_COPY)
    return {
      id,
      label: "Working copy",
      source: api.definitionSource,
      format: api.definitionFormat,
      definition: api.definition,
      settings: settingsSnapshot(api),
    };
  const [rev] = await db
    .select()
    .from(apiRevisions)
    .where(and(eq(apiRevisions.apiId, api.id), eq(apiRevisions.id, id)))
    .limit(1);
  if (!rev) throw new AppError("not_found", `No revision ${id} of this API.`);
  return {
    id,
    label: `Revision ${rev.number}`,
    source: rev.definitionSource,
    format: rev.definitionFormat,
    definition: rev.definition,
    settings: rev.settings,
  };
}

/**
 * Compares two revisions, or a revision and the working copy: a line diff of the documents
 * (as written when both use the same format, otherwise of the normalized documents) and the
 * settings that differ.
 */
export async function compareRevisions(apiId: string, fromId: string, toId: string, ctx: ServiceContext): Promise<RevisionComparison> {
  const db = await getDb();
  const { api } = await loadFullApiForActor(db, apiId, ctx);
  const [a, b] = await Promise.all([side(db, api, fromId), side(db, api, toId)]);
  const sameFormat = a.format === b.format;
  const definition = sameFormat ? diffTexts(a.source, b.source) : diffTexts(stableJson(a.definition), stableJson(b.definition));
  return {
    from: { id: a.id, label: a.label },
    to: { id: b.id, label: b.label },
    definition,
    settings: diffFields(flatten(a.settings), flatten(b.settings)),
  };
}
