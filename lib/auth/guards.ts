import "server-only";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import type { Actor } from "@/lib/services/context";
import { can, type Permission } from "./permissions";
import { getSessionActor } from "./session";

/**
 * For pages and layouts: no session redirects to sign-in, a missing permission renders the
 * 403 page. Layouts call it for the portal; each page calls it again for its own permission.
 */
export async function requirePageActor(permission?: Permission): Promise<Actor> {
  const actor = await getSessionActor();
  if (!actor) {
    const path = (await headers()).get("x-meridian-path") || "/";
    redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (permission && !can(actor.roles, permission)) forbidden();
  return actor;
}
