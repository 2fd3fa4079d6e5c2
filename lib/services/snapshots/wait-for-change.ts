import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { shutdownSignal } from "@/lib/shutdown";
import { snapshotWatcher } from "./snapshot-watcher";

export const MAX_WAIT_SECONDS = 30;

/**
 * Long poll: resolves with the environment's snapshot version as soon as it differs from
 * `known`, or with `known` when the wait ends. `current` is the version the caller has just
 * read (else it is read here); the wait itself goes through the process's one watcher, so
 * waiting gateways cost the database nothing more for each of them. It also ends when the
 * process starts shutting down, so that a long poll never delays a drain.
 */
export async function waitForSnapshotChange(
  environmentId: string,
  known: string,
  waitSeconds: number,
  signal?: AbortSignal,
  current?: string,
): Promise<string> {
  if (current === undefined) {
    const db = await getDb();
    const [row] = await db
      .select({ v: environments.snapshotVersion })
      .from(environments)
      .where(eq(environments.id, environmentId))
      .limit(1);
    current = String(row?.v ?? known);
  }
  const stopping = shutdownSignal();
  if (current !== known || signal?.aborted || stopping.aborted) return current;
  const waitMs = Math.min(Math.max(waitSeconds, 0), MAX_WAIT_SECONDS) * 1000;
  if (waitMs === 0) return current;
  return snapshotWatcher.wait(environmentId, known, waitMs, signal ? AbortSignal.any([signal, stopping]) : stopping);
}
