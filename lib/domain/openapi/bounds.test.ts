import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { checkDocumentBounds } from "./bounds";
import { parseDefinitionText } from "./parse";
import { forEachRef } from "./pointer";
import { prepareDefinition } from "./prepare";
import { findDanglingRefs } from "./refs";

/** `{"a":{"a":…{"$ref":"#/x"}…}}`, `levels` objects deep, written as JSON text. */
const deepJson = (levels: number) => `${'{"a":'.repeat(levels - 1)}{"$ref":"#/x"}${"}".repeat(levels - 1)}`;
/** The same shape in YAML flow style, inside an OpenAPI document. */
const deepYaml = (levels: number) =>
  `openapi: 3.0.3\ninfo: {title: Deep, version: "1"}\npaths: {}\nx-deep: ${"[".repeat(levels)}${"]".repeat(levels)}\n`;
const openApiWith = (extra: string) => `{"openapi":"3.0.3","info":{"title":"Deep","version":"1"},"paths":{},"x-deep":${extra}}`;

describe("document bounds", () => {
  it("accepts a document at the depth bound and refuses one level more, naming the place", () => {
    const bounds = { maxDepth: 5, maxNodes: 1000 };
    expect(checkDocumentBounds(JSON.parse(deepJson(5)), bounds)).toBeUndefined();
    expect(checkDocumentBounds(JSON.parse(deepJson(6)), bounds)).toMatchObject({ limit: "depth", max: 5, path: "/a/a/a/a/a" });
    expect(checkDocumentBounds([[[[["x"]]]]], bounds)).toBeUndefined();
    expect(checkDocumentBounds([[[[[["x"]]]]]], bounds)).toMatchObject({ limit: "depth", path: "/0/0/0/0/0" });
  });

  it("counts every value, scalars included, and refuses past the node bound", () => {
    const wide = { list: Array.from({ length: 98 }, (_, i) => i) };
    // The object, the array and 98 numbers.
    expect(checkDocumentBounds(wide, { maxDepth: 10, maxNodes: 100 })).toBeUndefined();
    expect(checkDocumentBounds({ ...wide, one: "more" }, { maxDepth: 10, maxNodes: 100 })).toMatchObject({ limit: "nodes", max: 100 });
  });

  it("walks 20,000 levels without recursing and stops at the bound", () => {
    const deep = JSON.parse(deepJson(20_000));
    const started = Date.now();
    expect(checkDocumentBounds(deep)).toMatchObject({ limit: "depth", max: 128 });
    expect(checkDocumentBounds(deep, { maxDepth: 50_000, maxNodes: 100_000 })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("refuses a YAML alias that contains itself instead of looping", () => {
    const cyclic = parseYaml("a: &x [1, *x]");
    expect(checkDocumentBounds(cyclic)).toMatchObject({ limit: "depth" });
  });

  it("finds $refs 20,000 levels deep without overflowing the stack", () => {
    const deep = JSON.parse(deepJson(20_000));
    const found: Array<{ ref: string; depth: number }> = [];
    forEachRef(deep, (ref, at) => found.push({ ref, depth: at.length }));
    expect(found).toEqual([{ ref: "#/x", depth: 19_999 }]);
    expect(findDanglingRefs(deep)).toHaveLength(1);
  });

  it("visits $refs with the path of the object that holds them, in document order", () => {
    const doc = {
      paths: { "/a": { get: { $ref: "#/one", x: [{ $ref: "#/two" }, 3, null, { y: { $ref: "#/three" } }] } } },
      z: { $ref: "#/four" },
    };
    const seen: string[] = [];
    forEachRef(doc, (ref, at) => seen.push(`${ref} ${at.join("/")}`));
    expect(seen).toEqual(["#/one paths//a/get", "#/two paths//a/get/x/0", "#/three paths//a/get/x/3/y", "#/four z"]);
  });
});

describe("parsing and preparing bounded documents", () => {
  it.each([
    ["JSON", openApiWith(deepJson(20_000))],
    ["YAML", deepYaml(20_000)],
    ["YAML nested below the parser's own limit", deepYaml(400)],
  ])("refuses a 20,000-deep %s document for its depth", async (_label, text) => {
    const parsed = parseDefinitionText(text);
    expect(parsed).toMatchObject({ ok: false, limit: { limit: "depth", max: 128 } });
    const prepared = await prepareDefinition(text);
    expect(prepared).toMatchObject({ ok: false, limit: { limit: "depth" } });
  });

  it("refuses a document with too many values", async () => {
    const text = openApiWith(JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ i }))));
    expect(parseDefinitionText(text, { maxDepth: 128, maxNodes: 10_000 })).toMatchObject({
      ok: false,
      limit: { limit: "nodes", max: 10_000 },
    });
    expect(parseDefinitionText(text, { maxDepth: 128, maxNodes: 20_000 }).ok).toBe(true);
  });

  it("still accepts an ordinary document nested a few dozen levels", async () => {
    const text = openApiWith(deepJson(60));
    expect(parseDefinitionText(text).ok).toBe(true);
  });
});

describe("deep text that is not valid JSON", () => {
  it("is refused as too deep, not a crash, when locating its syntax error would recurse past the stack", () => {
    const result = parseDefinitionText(`{"a":${"[".repeat(50_000)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0].message).toMatch(/nested more than \d+ levels deep/);
  });
});
