import { eq, inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { apiKeyManagers, BUILTIN_KEY_MANAGER_ID, keyManagers } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { loadApiForActor } from "@/lib/services/apis/access";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";
import { builtinKeyManagerView, toKeyManagerView, type KeyManagerView } from "./key-manager-dto";
import { apiKeyManagersSchema } from "./schemas";

/** The key managers whose tokens an API accepts: its rows, or the built-in one alone when it has none. */
export async function acceptedKeyManagerIds(db: DbOrTx, apiIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (apiIds.length === 0) return out;
  const rows = await db.select().from(apiKeyManagers).where(inArray(apiKeyManagers.apiId, apiIds));
  for (const row of rows) out.set(row.apiId, [...(out.get(row.apiId) ?? []), row.keyManagerId]);
  for (const id of apiIds) if (!out.has(id)) out.set(id, [BUILTIN_KEY_MANAGER_ID]);
  for (const ids of out.values()) ids.sort();
  return out;
}

async function viewsOf(db: DbOrTx, ids: string[]): Promise<KeyManagerView[]> {
  const external = ids.filter((id) => id !== BUILTIN_KEY_MANAGER_ID);
  const rows = external.length ? await db.select().from(keyManagers).where(inArray(keyManagers.id, external)) : [];
  return [...(ids.includes(BUILTIN_KEY_MANAGER_ID) ? [builtinKeyManagerView()] : []), ...rows.map(toKeyManagerView)];
}

/** The key managers whose tokens the API accepts; the developer portal reads the same. */
export async function getApiKeyManagersUnchecked(apiId: string): Promise<KeyManagerView[]> {
  const db = await getDb();
  return viewsOf(db, (await acceptedKeyManagerIds(db, [apiId])).get(apiId)!);
}

export async function getApiKeyManagers(apiId: string, ctx: ServiceContext): Promise<{ items: KeyManagerView[] }> {
  const db = await getDb();
  const { api } = await loadApiForActor(db, apiId, ctx);
  return { items: await viewsOf(db, (await acceptedKeyManagerIds(db, [api.id])).get(api.id)!) };
}

/** Chooses the key managers an API accepts (the publisher); gateways follow with the next snapshot. */
export async function setApiKeyManagers(apiId: string, input: unknown, ctx: ServiceContext): Promise<{ items: KeyManagerView[] }> {
  const { keyManagerIds } = parseInput(apiKeyManagersSchema, input);
  const ids = [...new Set(keyManagerIds)].sort();
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { api } = await loadApiForActor(tx, apiId, ctx, { write: true, lock: true });
    const external = ids.filter((id) => id !== BUILTIN_KEY_MANAGER_ID);
    const known = external.length ? await tx.select({ id: keyManagers.id }).from(keyManagers).where(inArray(keyManagers.id, external)) : [];
    const unknown = external.filter((id) => !known.some((k) => k.id === id));
    if (unknown.length) {
      const message = `No such key manager: ${unknown.join(", ")}.`;
      throw new AppError("validation_failed", message, { fieldErrors: { keyManagerIds: message } });
    }
    await tx.delete(apiKeyManagers).where(eq(apiKeyManagers.apiId, api.id));
    // Only the built-in one is the default: stored as no rows.
    if (!(ids.length === 1 && ids[0] === BUILTIN_KEY_MANAGER_ID)) {
      await tx.insert(apiKeyManagers).values(ids.map((keyManagerId) => ({ apiId: api.id, keyManagerId })));
    }
    await writeAudit(tx, ctx, { action: "api.key_managers", objectType: "api", objectId: api.id, details: { keyManagerIds: ids } });
    await bumpSnapshotVersions(tx);
    return { items: await viewsOf(tx, ids) };
  });
}
