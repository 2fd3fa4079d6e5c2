import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";

export const MAX_WAIT_SECONDS = 30;
const POLL_MS = 200;

/**
 * Long poll: resolves with the environment's snapshot version as soon as it differs from
 * `known`, or with `known` when the wait ends. Polling the version (one indexed row) works the
 * same on PostgreSQL and the embedded database and across web replicas.
 */
export async function waitForSnapshotChange(environmentId: string, known: string, waitSeconds: number, signal?: AbortSignal): Promise<string> {
  const db = await getDb();
  const deadline = Date.now() + Math.min(Math.max(waitSeconds, 0), MAX_WAIT_SECONDS) * 1000;
  for (;;) {
    const [row] = await db.select({ v: environments.snapshotVersion }).from(environments).where(eq(environments.id, environmentId)).limit(1);
    const current = String(row?.v ?? known);
    if (current !== known || Date.now() >= deadline || signal?.aborted) return current;
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}
