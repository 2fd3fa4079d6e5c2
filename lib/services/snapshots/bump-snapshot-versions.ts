import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";

/**
 * Marks what gateways serve as changed, inside the caller's transaction: the snapshot version
 * is the ETag the gateways long-poll on. Without ids, every environment (keys, revocations,
 * tiers concern them all).
 */
export async function bumpSnapshotVersions(tx: DbOrTx, environmentIds?: string[]): Promise<void> {
  if (environmentIds && environmentIds.length === 0) return;
  await tx
    .update(environments)
    .set({ snapshotVersion: sql`${environments.snapshotVersion} + 1` })
    .where(environmentIds ? inArray(environments.id, environmentIds) : undefined);
}
