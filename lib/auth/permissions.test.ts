import { describe, expect, it } from "vitest";
import { can, permissionsOf, PERMISSIONS, ROLE_PERMISSIONS } from "./permissions";

describe("permission table", () => {
  it.each([
    ["admin", "users:write", true],
    ["admin", "portal:publisher", true],
    ["publisher", "portal:publisher", true],
    ["publisher", "apis:write", true],
    ["publisher", "apis:all", false],
    ["publisher", "portal:admin", false],
    ["publisher", "users:read", false],
    ["subscriber", "portal:developer", true],
    ["subscriber", "applications:write", true],
    ["subscriber", "portal:publisher", false],
    ["subscriber", "apis:write", false],
  ] as const)("%s → %s is %s", (role, permission, expected) => {
    expect(can([role], permission)).toBe(expected);
  });

  it("unions the permissions of several roles and ignores unknown ones", () => {
    const perms = permissionsOf(["subscriber", "publisher", "root"]);
    expect(perms.has("apis:write")).toBe(true);
    expect(perms.has("applications:write")).toBe(true);
    expect(perms.has("users:write")).toBe(false);
  });

  it("gives nobody anything without roles", () => {
    for (const p of PERMISSIONS) expect(can([], p)).toBe(false);
    expect(can(undefined, "tokens:own")).toBe(false);
  });

  it("gives every role a personal-token permission and admins everything", () => {
    for (const perms of Object.values(ROLE_PERMISSIONS)) expect(perms).toContain("tokens:own");
    expect(new Set(ROLE_PERMISSIONS.admin)).toEqual(new Set(PERMISSIONS));
  });
});
