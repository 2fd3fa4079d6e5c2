import { count, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiKeyManagers, BUILTIN_KEY_MANAGER_ID, keyManagerClients, keyManagers } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { getKeyManagerRowOrThrow } from "./get-key-manager";

/** Deletes a key manager no application holds a client of; APIs stop accepting it. */
export async function deleteKeyManager(id: string, ctx: ServiceContext): Promise<void> {
  assertCan(ctx, "environments:write");
  if (id === BUILTIN_KEY_MANAGER_ID) throw new AppError("conflict", "The built-in key manager cannot be deleted.");
  const row = await getKeyManagerRowOrThrow(id);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [{ clients }] = await tx.select({ clients: count() }).from(keyManagerClients).where(eq(keyManagerClients.keyManagerId, id));
    if (clients > 0) {
      throw new AppError(
        "conflict",
        `${clients} application client(s) of this key manager exist: delete them first, so that none is left at the provider.`,
      );
    }
    await tx.delete(apiKeyManagers).where(eq(apiKeyManagers.keyManagerId, id));
    await tx.delete(keyManagers).where(eq(keyManagers.id, id));
    await writeAudit(tx, ctx, { action: "key_manager.delete", objectType: "key_manager", objectId: id, details: { name: row.name } });
    await bumpSnapshotVersions(tx);
  });
}
