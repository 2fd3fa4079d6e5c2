/**
 * The one permission table: role → permissions. Pure, so that pages, actions, route handlers
 * and tests all ask the same question (`can`). Navigation hides what a role cannot do, but the
 * server checks it again on every action and handler.
 */
export const ROLES = ["admin", "publisher", "subscriber"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "portal:admin",
  "portal:publisher",
  "portal:developer",
  "users:read",
  "users:write",
  "audit:read",
  "settings:write",
  "environments:read",
  "environments:write",
  "tiers:write",
  "apis:read",
  "apis:write",
  "apis:all",
  "subscriptions:approve",
  "applications:write",
  "subscriptions:write",
  "analytics:all",
  "tokens:own",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const SUBSCRIBER: Permission[] = ["portal:developer", "applications:write", "subscriptions:write", "tokens:own"];
const PUBLISHER: Permission[] = [
  "portal:publisher",
  "portal:developer",
  "apis:read",
  "apis:write",
  "environments:read",
  "subscriptions:approve",
  "tokens:own",
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [...PERMISSIONS],
  publisher: PUBLISHER,
  subscriber: SUBSCRIBER,
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) if (isRole(role)) for (const p of ROLE_PERMISSIONS[role]) out.add(p);
  return out;
}

export function can(roles: readonly string[] | undefined | null, permission: Permission): boolean {
  return !!roles && permissionsOf(roles).has(permission);
}

export const PORTALS = [
  { id: "developer", label: "Developer portal", href: "/", permission: null },
  { id: "publisher", label: "Publisher", href: "/publisher", permission: "portal:publisher" },
  { id: "admin", label: "Admin", href: "/admin", permission: "portal:admin" },
] as const satisfies ReadonlyArray<{ id: string; label: string; href: string; permission: Permission | null }>;
