import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import type { Actor } from "@/lib/services/context";
import { loadActor } from "@/lib/services/users/authenticate";
import { authOptions } from "./options";

/**
 * The signed-in user, read once per request. The session cookie only says who signed in;
 * roles and the disabled flag come from the database, so that a change takes effect at once.
 */
export const getSessionActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  return loadActor(id);
});
