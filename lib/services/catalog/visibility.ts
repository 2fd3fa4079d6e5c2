import { and, arrayContains, arrayOverlaps, eq, inArray, or, type SQL } from "drizzle-orm";
import { can } from "@/lib/auth/permissions";
import { apis, type ApiRow, type Environment } from "@/lib/db/schema";
import type { LifecycleState } from "@/lib/domain/lifecycle";
import type { Actor } from "@/lib/services/context";

/**
 * Who sees what in the developer portal. Published and deprecated APIs are listed; prototypes
 * only for publishers and admins; created, blocked and retired ones never. On top of the state,
 * an API is public or visible to some roles (its owners and admins always see it).
 */
export function catalogStates(actor: Actor | null): LifecycleState[] {
  return can(actor?.roles, "portal:publisher") ? ["PUBLISHED", "DEPRECATED", "PROTOTYPED"] : ["PUBLISHED", "DEPRECATED"];
}

export function canSeeCatalogApi(
  actor: Actor | null,
  api: Pick<ApiRow, "lifecycleState" | "visibility" | "visibleRoles" | "owners">,
): boolean {
  if (!catalogStates(actor).includes(api.lifecycleState)) return false;
  if (api.visibility === "public") return true;
  if (!actor) return false;
  return (
    can(actor.roles, "apis:all") || api.owners.includes(actor.id) || api.visibleRoles.some((r) => (actor.roles as string[]).includes(r))
  );
}

/** The same rule as SQL, for lists. */
export function catalogFilter(actor: Actor | null): SQL {
  const state = inArray(apis.lifecycleState, catalogStates(actor));
  if (!actor) return and(state, eq(apis.visibility, "public"))!;
  if (can(actor.roles, "apis:all")) return state;
  return and(
    state,
    or(eq(apis.visibility, "public"), arrayOverlaps(apis.visibleRoles, actor.roles), arrayContains(apis.owners, [actor.id])),
  )!;
}

/** An environment limited to some roles hides its gateway URLs (and its APIs there) from the others. */
export function canSeeEnvironment(actor: Actor | null, env: Pick<Environment, "visibleRoles">): boolean {
  if (env.visibleRoles.length === 0) return true;
  if (!actor) return false;
  return can(actor.roles, "environments:write") || env.visibleRoles.some((r) => (actor.roles as string[]).includes(r));
}
