import { describe, expect, it } from "vitest";
import { pgArray } from "./pg-array";

describe("pgArray", () => {
  it("quotes strings, escapes quotes and backslashes, and writes NULL", () => {
    expect(pgArray(["a", 'b"c', "d\\e", null, "NULL", ""])).toBe('{"a","b\\"c","d\\\\e",NULL,"NULL",""}');
  });
  it("writes numbers bare and non-finite ones as NULL", () => {
    expect(pgArray([1, 2.5, Number.NaN, undefined])).toBe("{1,2.5,NULL,NULL}");
    expect(pgArray([])).toBe("{}");
  });
});
