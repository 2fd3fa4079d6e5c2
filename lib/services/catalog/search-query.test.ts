import { describe, expect, it } from "vitest";
import { toPrefixQuery } from "./search-query";

describe("toPrefixQuery", () => {
  it.each([
    ["pets", "pets:*"],
    ["Pay  eur", "(pay:* | Pay:*) & eur:*"],
    ["order-service v2", "order:* & service:* & v2:*"],
    ["'; drop table apis; --", "drop:* & table:* & apis:*"],
    ["Zürich", "(zürich:* | Zürich:*)"],
  ])("%s → %s", (input, expected) => {
    expect(toPrefixQuery(input)).toBe(expected);
  });

  it("ignores input without letters or digits", () => {
    expect(toPrefixQuery("  *** ")).toBeNull();
  });

  it("keeps at most eight terms", () => {
    expect(toPrefixQuery("a b c d e f g h i j")?.split(" & ")).toHaveLength(8);
  });
});
