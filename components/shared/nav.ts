/** Side navigation per portal. Each entry names the permission that shows it. */
import type { Permission } from "@/lib/auth/permissions";

export interface NavItem {
  href: string;
  label: string;
  permission?: Permission;
  /** Match only the exact path (for portal roots). */
  exact?: boolean;
}

export const DEVELOPER_NAV: NavItem[] = [
  { href: "/", label: "API catalog", exact: true },
  { href: "/applications", label: "Applications", permission: "applications:write" },
  { href: "/subscriptions", label: "Subscriptions", permission: "subscriptions:write" },
  { href: "/analytics", label: "Analytics", permission: "portal:developer" },
];

export const PUBLISHER_NAV: NavItem[] = [
  { href: "/publisher", label: "Overview", exact: true },
  { href: "/publisher/apis", label: "APIs", permission: "apis:read" },
  { href: "/publisher/subscriptions", label: "Subscriptions", permission: "subscriptions:approve" },
  { href: "/publisher/analytics", label: "Analytics", permission: "apis:read" },
];

export const ADMIN_NAV: NavItem[] = [
  { href: "/admin", label: "Overview", exact: true },
  { href: "/admin/users", label: "Users", permission: "users:read" },
  { href: "/admin/environments", label: "Environments", permission: "environments:write" },
  { href: "/admin/key-managers", label: "Key managers", permission: "environments:write" },
  { href: "/admin/tiers", label: "Tiers & policies", permission: "tiers:write" },
  { href: "/admin/subscriptions", label: "Subscriptions", permission: "subscriptions:approve" },
  { href: "/admin/analytics", label: "Analytics", permission: "analytics:all" },
  { href: "/admin/audit", label: "Audit log", permission: "audit:read" },
  { href: "/admin/settings", label: "Settings", permission: "settings:write" },
];

export const ACCOUNT_NAV: NavItem[] = [{ href: "/account/tokens", label: "Access tokens" }];
