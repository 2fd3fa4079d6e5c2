import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { NOTIFY_CHANNEL, notificationPayload } from "./snapshot-watcher";

/**
 * Marks what gateways serve as changed, inside the caller's transaction: the snapshot version
 * is the ETag the gateways long-poll on. Without ids, every environment (keys, revocations,
 * tiers concern them all). The new versions are announced with NOTIFY, which PostgreSQL
 * delivers when the transaction commits (and never if it rolls back), to every process's
 * snapshot watcher.
 */
export async function bumpSnapshotVersions(tx: DbOrTx, environmentIds?: string[]): Promise<void> {
  if (environmentIds && environmentIds.length === 0) return;
  const bumped = await tx
    .update(environments)
    .set({ snapshotVersion: sql`${environments.snapshotVersion} + 1`, snapshotChangedAt: sql`now()` })
    .where(environmentIds ? inArray(environments.id, environmentIds) : undefined)
    .returning({ id: environments.id, v: environments.snapshotVersion });
  if (bumped.length) await tx.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, ${notificationPayload(bumped)})`);
}
