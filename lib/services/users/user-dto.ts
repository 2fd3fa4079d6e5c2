import type { User } from "@/lib/db/schema";
import { isRole, type Role } from "@/lib/auth/permissions";

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  disabled: boolean;
  invited: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

/** The only shape in which a user leaves the service layer: never the password hash. */
export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles.filter(isRole),
    disabled: user.disabled,
    invited: user.passwordHash === null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
