import { eq } from "drizzle-orm";
import { can } from "@/lib/auth/permissions";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { applications, type Application } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { assertCan, type ServiceContext } from "@/lib/services/context";

/** An application the actor owns (admins may act on any); someone else's reads as not found. */
export async function getOwnedApplicationOrThrow(id: string, ctx: ServiceContext, tx?: DbOrTx): Promise<Application> {
  const actor = assertCan(ctx, "applications:write");
  const db = tx ?? (await getDb());
  const [app] = await db.select().from(applications).where(eq(applications.id, id)).limit(1);
  if (!app || (app.ownerId !== actor.id && !can(actor.roles, "users:write"))) throw new AppError("not_found", "No such application.");
  return app;
}
