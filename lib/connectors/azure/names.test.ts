import { describe, expect, it } from "vitest";
import { ConnectorError } from "../types";
import { azureNames, slug, subscriptionSid } from "./names";

const AZURE_ID = /^[a-z0-9](?:[a-z0-9-]{0,254}[a-z0-9])?$/;

describe("Azure names", () => {
  it.each([
    [{ name: "Orders", version: "v1", context: "/orders-api" }, "meridian-orders-api-v1", "meridian-orders-api", "orders-api"],
    [{ name: "Pets", version: "2.0", context: "/pets/" }, "meridian-pets-2-0-", "meridian-pets", "pets"],
    [{ name: "Store", version: "v1", context: "/store/orders" }, "meridian-store-orders-", "meridian-store-orders-", "store/orders"],
    [{ name: "Legacy", version: "V1", context: "/Legacy" }, "meridian-legacy-v1", "meridian-legacy", "Legacy"],
  ])("maps %j", (api, apiIdStart, versionSetStart, path) => {
    const names = azureNames(api);
    expect(names.apiId.startsWith(apiIdStart)).toBe(true);
    expect(names.versionSetId.startsWith(versionSetStart)).toBe(true);
    expect(names.path).toBe(path);
    for (const id of [names.apiId, names.versionSetId, names.productId("Gold"), names.productId("Free tier (EU)")])
      expect(id).toMatch(AZURE_ID);
  });

  it("is deterministic and keeps lossy mappings apart", () => {
    const [one, two] = [
      azureNames({ name: "A", version: "v1", context: "/a/b" }),
      azureNames({ name: "A", version: "v1", context: "/a/b" }),
    ];
    expect([one.apiId, one.versionSetId, one.productId("Gold")]).toEqual([two.apiId, two.versionSetId, two.productId("Gold")]);
    expect(azureNames({ name: "A", version: "v1", context: "/a/b" }).apiId).not.toBe(
      azureNames({ name: "A", version: "v1", context: "/a-b" }).apiId,
    );
    expect(slug("sub_1", "id")).not.toBe(slug("sub-1", "id"));
    expect(subscriptionSid("sub_1", "key_1")).toBe(subscriptionSid("sub_1", "key_1"));
    expect(subscriptionSid("sub_1", "key_1")).toMatch(AZURE_ID);
  });

  it("caps long ids at 256 characters and display names at Azure's limits", () => {
    const names = azureNames({ name: "N".repeat(400), version: "v1", context: `/${"a".repeat(390)}` });
    expect(names.apiId.length).toBeLessThanOrEqual(256);
    expect(names.apiId).toMatch(AZURE_ID);
    expect(names.productId("Gold").length).toBeLessThanOrEqual(256);
    expect(names.productId("Gold")).not.toBe(names.productId("Silver"));
    expect(names.displayName.length).toBe(300);
    expect(names.versionSetDisplayName.length).toBe(100);
  });

  it.each([
    [{ name: "A", version: "v1", context: "/" }, /context "\/" is empty/],
    [{ name: "A", version: "v1", context: "/orders api" }, /segment "orders api"/],
    [{ name: "A", version: "v1", context: `/${"a".repeat(401)}` }, /400 characters/],
    [{ name: "A", version: "v 1", context: "/a" }, /version "v 1"/],
    [{ name: "A", version: "", context: "/a" }, /version ""/],
    [{ name: " ", version: "v1", context: "/a" }, /no name/],
    [{ name: "A", version: "---", context: "/a" }, /no letter or digit/],
  ])("refuses %j with a clear message", (api, message) => {
    let error: unknown;
    try {
      azureNames(api);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe("invalid");
    expect((error as ConnectorError).message).toMatch(message);
  });
});
