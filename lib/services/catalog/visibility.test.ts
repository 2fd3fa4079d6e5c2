import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/services/context";
import { canSeeCatalogApi, canSeeEnvironment, catalogStates } from "./visibility";

const subscriber: Actor = { id: "usr_s", email: "s@x", roles: ["subscriber"] };
const publisher: Actor = { id: "usr_p", email: "p@x", roles: ["publisher"] };
const admin: Actor = { id: "usr_a", email: "a@x", roles: ["admin"] };
const api = (over: Partial<Parameters<typeof canSeeCatalogApi>[1]> = {}) => ({
  lifecycleState: "PUBLISHED" as const,
  visibility: "public" as const,
  visibleRoles: [],
  owners: ["usr_o"],
  ...over,
});

describe("catalog visibility", () => {
  it.each([
    ["PUBLISHED", true, true],
    ["DEPRECATED", true, true],
    ["PROTOTYPED", false, true],
    ["CREATED", false, false],
    ["BLOCKED", false, false],
    ["RETIRED", false, false],
  ] as const)("%s: subscribers %s, publishers %s", (state, forSubscriber, forPublisher) => {
    expect(canSeeCatalogApi(null, api({ lifecycleState: state }))).toBe(forSubscriber);
    expect(canSeeCatalogApi(subscriber, api({ lifecycleState: state }))).toBe(forSubscriber);
    expect(canSeeCatalogApi(publisher, api({ lifecycleState: state }))).toBe(forPublisher);
    expect(canSeeCatalogApi(admin, api({ lifecycleState: state }))).toBe(forPublisher);
  });

  it("shows role-restricted APIs to those roles, their owners and admins only", () => {
    const restricted = api({ visibility: "roles", visibleRoles: ["subscriber"] });
    expect(canSeeCatalogApi(null, restricted)).toBe(false);
    expect(canSeeCatalogApi(subscriber, restricted)).toBe(true);
    expect(canSeeCatalogApi(publisher, restricted)).toBe(false);
    expect(canSeeCatalogApi({ ...publisher, id: "usr_o" }, restricted)).toBe(true);
    expect(canSeeCatalogApi(admin, restricted)).toBe(true);
  });

  it("lists prototypes only for publishers and admins", () => {
    expect(catalogStates(null)).not.toContain("PROTOTYPED");
    expect(catalogStates(publisher)).toContain("PROTOTYPED");
  });

  it("hides environments limited to other roles", () => {
    expect(canSeeEnvironment(null, { visibleRoles: [] })).toBe(true);
    expect(canSeeEnvironment(null, { visibleRoles: ["subscriber"] })).toBe(false);
    expect(canSeeEnvironment(subscriber, { visibleRoles: ["subscriber"] })).toBe(true);
    expect(canSeeEnvironment(subscriber, { visibleRoles: ["publisher"] })).toBe(false);
    expect(canSeeEnvironment(admin, { visibleRoles: ["publisher"] })).toBe(true);
  });
});
