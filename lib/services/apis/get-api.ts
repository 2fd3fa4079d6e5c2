import { getDb } from "@/lib/db/client";
import type { ServiceContext } from "@/lib/services/context";
import { eq } from "drizzle-orm";
import { apis } from "@/lib/db/schema";
import { loadApiForActor, loadFullApiForActor, ownersOf } from "./access";
import { toApiDetail, type ApiDetail } from "./api-dto";

export async function getApi(id: string, ctx: ServiceContext): Promise<ApiDetail> {
  const db = await getDb();
  const { api } = await loadApiForActor(db, id, ctx);
  return toApiDetail(api, await ownersOf(db, api.owners));
}

export interface ApiDefinition {
  document: Record<string, unknown>;
  source: string;
  format: "json" | "yaml";
  spec: string;
}

/** The stored document (normalized 3.x) and the text the editor shows (as last uploaded or saved). */
export async function getApiDefinition(id: string, ctx: ServiceContext): Promise<ApiDefinition> {
  const db = await getDb();
  const { api } = await loadFullApiForActor(db, id, ctx);
  return { document: api.definition, source: api.definitionSource, format: api.definitionFormat, spec: api.sourceSpec };
}

/** The text as uploaded only, for the editor: the normalized document is not read. */
export async function getApiDefinitionSource(id: string, ctx: ServiceContext): Promise<Omit<ApiDefinition, "document">> {
  const db = await getDb();
  const { api } = await loadApiForActor(db, id, ctx);
  const [row] = await db.select({ source: apis.definitionSource }).from(apis).where(eq(apis.id, api.id));
  return { source: row.source, format: api.definitionFormat, spec: api.sourceSpec };
}
