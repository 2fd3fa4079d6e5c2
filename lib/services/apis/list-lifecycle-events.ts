import { desc, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiLifecycleEvents } from "@/lib/db/schema";
import type { ServiceContext } from "@/lib/services/context";
import { loadApiForActor } from "./access";

export interface LifecycleEvent {
  id: string;
  action: string;
  fromState: string;
  toState: string;
  actorId: string | null;
  actorEmail: string | null;
  at: string;
}

export const MAX_LIFECYCLE_EVENTS = 200;

/** The lifecycle history of an API, newest first. */
export async function listLifecycleEvents(id: string, ctx: ServiceContext): Promise<LifecycleEvent[]> {
  const db = await getDb();
  await loadApiForActor(db, id, ctx);
  const rows = await db
    .select()
    .from(apiLifecycleEvents)
    .where(eq(apiLifecycleEvents.apiId, id))
    .orderBy(desc(apiLifecycleEvents.at), desc(apiLifecycleEvents.seq))
    .limit(MAX_LIFECYCLE_EVENTS);
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    fromState: r.fromState,
    toState: r.toState,
    actorId: r.actorId,
    actorEmail: r.actorEmail,
    at: r.at.toISOString(),
  }));
}
