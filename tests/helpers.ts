import { randomBytes } from "node:crypto";
import type { Role } from "@/lib/auth/permissions";
import { createUser } from "@/lib/services/users/create-user";
import type { Actor, ServiceContext } from "@/lib/services/context";

export const rootActor: Actor = { id: "usr_test_root", email: "root@test.local", roles: ["admin", "publisher", "subscriber"] };
export const adminCtx: ServiceContext = { actor: rootActor, requestId: "test" };

export function uniqueEmail(label = "user"): string {
  return `${label}-${randomBytes(5).toString("hex")}@example.test`;
}

export const STRONG_PASSWORD = "correct-horse-42";

/** Creates a user through the service and returns a context acting as them. */
export async function userContext(roles: Role[], label = "user"): Promise<ServiceContext> {
  const email = uniqueEmail(label);
  const { user } = await createUser({ email, roles, password: STRONG_PASSWORD }, adminCtx);
  return { actor: { id: user.id, email: user.email, roles: user.roles }, requestId: "test" };
}
