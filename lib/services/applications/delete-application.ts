import { count, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { applications, subscriptions } from "@/lib/db/schema";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { deleteProviderClientsOf } from "@/lib/services/key-managers/key-manager-clients";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { getOwnedApplicationOrThrow } from "./get-application";

/**
 * Deletes one of the caller's applications with its credentials, API keys and subscriptions
 * (the foreign keys cascade); gateways stop accepting its tokens and keys at their next snapshot.
 */
export async function deleteApplication(id: string, ctx: ServiceContext): Promise<{ id: string; subscriptions: number }> {
  await getOwnedApplicationOrThrow(id, ctx);
  // Clients Meridian registered at external key managers are deleted there first: none is left behind.
  await deleteProviderClientsOf(id);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const app = await getOwnedApplicationOrThrow(id, ctx, tx);
    const [{ n }] = await tx.select({ n: count() }).from(subscriptions).where(eq(subscriptions.applicationId, app.id));
    await tx.delete(applications).where(eq(applications.id, app.id));
    await bumpSnapshotVersions(tx);
    await writeAudit(tx, ctx, {
      action: "application.delete",
      objectType: "application",
      objectId: app.id,
      details: { name: app.name, subscriptions: n },
    });
    return { id: app.id, subscriptions: n };
  });
}
