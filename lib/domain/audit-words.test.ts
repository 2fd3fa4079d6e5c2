import { describe, expect, it } from "vitest";
import { describeAuditAction } from "./audit-words";

describe("describeAuditAction", () => {
  it("puts known codes in words, with the object's name", () => {
    expect(describeAuditAction({ action: "tier.delete", objectType: "tier", details: { kind: "subscription", name: "Bronze" } })).toBe(
      "deleted the tier Bronze",
    );
    expect(
      describeAuditAction({ action: "api.create", objectType: "api", details: { name: "Payments", version: "v2", context: "/pay" } }),
    ).toBe("created the API Payments v2");
    expect(
      describeAuditAction({ action: "user.invite", objectType: "user", details: { email: "ann@example.com", roles: ["publisher"] } }),
    ).toBe("invited ann@example.com");
    expect(describeAuditAction({ action: "subscription.approve", objectType: "subscription", details: {} })).toBe(
      "approved a subscription",
    );
  });

  it("says where a deployment went and which state an API moved to", () => {
    expect(
      describeAuditAction({ action: "api.deploy", objectType: "api", details: { revision: 3, environments: ["default", "aws-prod"] } }),
    ).toBe("deployed revision 3 of the API to default, aws-prod");
    expect(
      describeAuditAction({ action: "api.lifecycle", objectType: "api", details: { action: "publish", from: "CREATED", to: "PUBLISHED" } }),
    ).toBe("moved the API to published");
  });

  it("reads an unknown code as words rather than the code", () => {
    expect(describeAuditAction({ action: "widget.frobnicate", objectType: "widget", details: {} })).toBe("frobnicate widget");
    expect(describeAuditAction({ action: "api.revision.archive", objectType: "api", details: { name: "Pets" } })).toBe(
      "archive revision of API Pets",
    );
    expect(describeAuditAction({ action: "gadget.delete", objectType: "gadget", details: { name: "G1" } })).toBe("deleted gadget G1");
  });
});
