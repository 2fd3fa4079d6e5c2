import type { Role } from "@/lib/auth/permissions";
import { can, type Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

export interface Actor {
  id: string;
  email: string;
  roles: Role[];
}

/** What every service receives: who acts, and where the request came from. */
export interface ServiceContext {
  actor: Actor | null;
  requestId?: string;
  ip?: string;
}

export const systemContext: ServiceContext = { actor: null, requestId: "system" };

export function requireActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError("unauthenticated", "Sign in to continue.");
  return ctx.actor;
}

/** Services check permissions too, so that no caller can forget. */
export function assertCan(ctx: ServiceContext, permission: Permission): Actor {
  const actor = requireActor(ctx);
  if (!can(actor.roles, permission)) throw new AppError("forbidden", "You do not have permission to do this.");
  return actor;
}
