import { lt } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { authAttempts } from "@/lib/db/schema";
import { ATTEMPT_WINDOW_MS } from "@/lib/services/users/authenticate";

/** Sign-in attempts matter only inside their window; older rows are removed. */
export async function purgeExpired(now = new Date()): Promise<{ authAttempts: number }> {
  const db = await getDb();
  const removed = await db
    .delete(authAttempts)
    .where(lt(authAttempts.at, new Date(now.getTime() - 2 * ATTEMPT_WINDOW_MS)))
    .returning({ id: authAttempts.id });
  return { authAttempts: removed.length };
}
