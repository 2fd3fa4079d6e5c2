import { eq, inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { BUILTIN_KEY_MANAGER_ID, environmentKeyManagers, keyManagers } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";
import { builtinKeyManagerView, toKeyManagerView, type KeyManagerView } from "./key-manager-dto";
import { environmentKeyManagersSchema } from "./schemas";

/** The key managers an environment restricts its gateways to, or null when it trusts whatever its APIs accept. */
export async function environmentTrust(db: DbOrTx, environmentId: string): Promise<Set<string> | null> {
  const rows = await db.select().from(environmentKeyManagers).where(eq(environmentKeyManagers.environmentId, environmentId));
  return rows.length ? new Set(rows.map((r) => r.keyManagerId)) : null;
}

async function viewOf(db: DbOrTx, trusted: Set<string> | null): Promise<{ restricted: boolean; items: KeyManagerView[] }> {
  if (!trusted) return { restricted: false, items: [] };
  const external = [...trusted].filter((id) => id !== BUILTIN_KEY_MANAGER_ID);
  const rows = external.length ? await db.select().from(keyManagers).where(inArray(keyManagers.id, external)) : [];
  return {
    restricted: true,
    items: [...(trusted.has(BUILTIN_KEY_MANAGER_ID) ? [builtinKeyManagerView()] : []), ...rows.map(toKeyManagerView)],
  };
}

export async function getEnvironmentKeyManagers(name: string, ctx: ServiceContext) {
  assertCan(ctx, "environments:write");
  const env = await getEnvironmentRowOrThrow(name);
  const db = await getDb();
  return viewOf(db, await environmentTrust(db, env.id));
}

/**
 * Restricts the key managers an environment's gateways trust (the admin). An empty list lifts
 * the restriction. An API deployed there keeps only the key managers both accept.
 */
export async function setEnvironmentKeyManagers(name: string, input: unknown, ctx: ServiceContext) {
  assertCan(ctx, "environments:write");
  const { keyManagerIds } = parseInput(environmentKeyManagersSchema, input);
  const ids = [...new Set(keyManagerIds)].sort();
  const env = await getEnvironmentRowOrThrow(name);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const external = ids.filter((id) => id !== BUILTIN_KEY_MANAGER_ID);
    const known = external.length ? await tx.select({ id: keyManagers.id }).from(keyManagers).where(inArray(keyManagers.id, external)) : [];
    const unknown = external.filter((id) => !known.some((k) => k.id === id));
    if (unknown.length) {
      const message = `No such key manager: ${unknown.join(", ")}.`;
      throw new AppError("validation_failed", message, { fieldErrors: { keyManagerIds: message } });
    }
    await tx.delete(environmentKeyManagers).where(eq(environmentKeyManagers.environmentId, env.id));
    if (ids.length) await tx.insert(environmentKeyManagers).values(ids.map((keyManagerId) => ({ environmentId: env.id, keyManagerId })));
    await writeAudit(tx, ctx, {
      action: "environment.key_managers",
      objectType: "environment",
      objectId: env.id,
      details: { keyManagerIds: ids },
    });
    await bumpSnapshotVersions(tx, [env.id]);
    return viewOf(tx, ids.length ? new Set(ids) : null);
  });
}
