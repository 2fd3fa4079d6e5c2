import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateLargeDocument } from "@/tests/fixtures/openapi/generate-large";
import { diffFields, diffTexts, stableJson } from "./diff";
import { extractOperations } from "./operations";
import { parseDefinitionText } from "./parse";
import { decodePointer, encodePointer } from "./pointer";
import { prepareDefinition } from "./prepare";
import { buildScratchDocument } from "./scratch";
import type { JsonObject } from "./types";

const fixture = (name: string) => fs.readFileSync(path.resolve("tests/fixtures/openapi", name), "utf8");

async function prepared(text: string) {
  const result = await prepareDefinition(text);
  if (!result.ok) throw new Error(`expected a valid document: ${JSON.stringify(result.errors)}`);
  return result;
}

describe("parsing", () => {
  it("reads JSON and YAML, and reports syntax errors with their line", () => {
    expect(parseDefinitionText('{"openapi":"3.0.3"}')).toMatchObject({ ok: true, format: "json" });
    expect(parseDefinitionText("openapi: 3.0.3\n")).toMatchObject({ ok: true, format: "yaml" });
    const yaml = parseDefinitionText("openapi: 3.0.3\ninfo:\n  title: [unclosed\n");
    expect(yaml.ok).toBe(false);
    if (!yaml.ok) expect(yaml.errors[0].message).toMatch(/YAML syntax error/);
    const json = parseDefinitionText('{\n  "openapi": "3.0.3"\n  "info": {}\n}');
    expect(json.ok).toBe(false);
    // The comma is missing at the end of line 2, where it is to be typed.
    if (!json.ok) expect(json.errors[0]).toMatchObject({ line: 2 });
    expect(parseDefinitionText("   ").ok).toBe(false);
    expect(parseDefinitionText("- a\n- b\n").ok).toBe(false);
  });

  it("encodes and decodes JSON pointers", () => {
    const pointer = encodePointer(["paths", "/pets/{id}", "get"]);
    expect(pointer).toBe("/paths/~1pets~1{id}/get");
    expect(decodePointer(pointer)).toEqual(["paths", "/pets/{id}", "get"]);
    expect(decodePointer("#/components/schemas/a~0b")).toEqual(["components", "schemas", "a~b"]);
  });
});

describe("import pipeline", () => {
  it("imports a 3.0 YAML document with callbacks, links, server variables and allOf", async () => {
    const result = await prepared(fixture("petstore-3.0.yaml"));
    expect(result.spec).toBe("openapi-3.0");
    expect(result.format).toBe("yaml");
    expect(result.source).toBe(fixture("petstore-3.0.yaml"));
    expect(result.operations.map((o) => `${o.method} ${o.path}`)).toEqual([
      "get /pets",
      "post /pets",
      "get /pets/{petId}",
      "delete /pets/{petId}",
    ]);
    expect(result.operations.find((o) => o.operationId === "deletePet")?.documentSecurity).toEqual(["oauth"]);
    expect(result.operations.find((o) => o.operationId === "listPets")?.documentSecurity).toEqual(["apiKey"]);
    // Internal references stay references in what is stored.
    expect(JSON.stringify(result.document)).toContain("#/components/schemas/Pet");
    expect(result.info).toMatchObject({ title: "Petstore", version: "1.0.0", serverUrl: "https://petstore.example.com/v1" });
  });

  it("imports a 3.1 document with webhooks unchanged", async () => {
    const text = fixture("webhooks-3.1.json");
    const result = await prepared(text);
    expect(result.spec).toBe("openapi-3.1");
    expect(result.document).toEqual(JSON.parse(text));
    expect(Object.keys(result.document.webhooks as JsonObject)).toEqual(["orderShipped"]);
    expect(result.operations).toHaveLength(2);
  });

  it("normalizes Swagger 2.0 to OpenAPI 3 and keeps the original text", async () => {
    const text = fixture("swagger-2.0.yaml");
    const result = await prepared(text);
    expect(result.spec).toBe("swagger-2.0");
    expect(result.source).toBe(text);
    const doc = result.document as JsonObject & { paths: Record<string, Record<string, JsonObject>>; components: JsonObject };
    expect(String(doc.openapi)).toMatch(/^3\.0\./);
    expect(doc.swagger).toBeUndefined();
    expect(doc.servers).toEqual([{ url: "https://inventory.example.com/v0" }]);
    expect(Object.keys(doc.components.schemas as JsonObject)).toEqual(["Item"]);
    expect(doc.paths["/items"].post.requestBody).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } },
    });
    expect(JSON.stringify(doc)).not.toContain("#/definitions/");
    expect(result.operations.map((o) => o.operationId)).toEqual(["listItems", "createItem", "getItem"]);
  });

  it("refuses an external $ref and names where it is", async () => {
    const result = await prepareDefinition(fixture("external-ref.json"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].path).toBe("/paths/~1widgets/get/responses/200/content/application~1json/schema/$ref");
    expect(result.errors[0].message).toContain("./schemas/widget.yaml#/Widget");
    expect(result.errors[0].line).toBe(8);
  });

  it("locates schema and rule errors in the text as written", async () => {
    const result = await prepareDefinition(fixture("broken.yaml"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Schema errors come first, at the place the user wrote them.
    expect(result.errors).toEqual([expect.objectContaining({ path: "/paths/~1things/get/parameters/0/schema/type", line: 13 })]);
    expect(result.errors[0].message).toMatch(/Must be one of/);
    // Then the rules the schema cannot express, such as undeclared path parameters.
    const second = await prepareDefinition(fixture("broken.yaml").replace("type: strin", "type: string"));
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.errors[0]).toMatchObject({ path: "/paths/~1things~1{id}/get", line: 18 });
    expect(second.errors[0].message).toMatch(/path parameter/);
  });

  it("reports dangling internal references and unsupported versions", async () => {
    const dangling = await prepareDefinition(
      JSON.stringify({
        openapi: "3.0.3",
        info: { title: "x", version: "1" },
        paths: { "/a": { get: { responses: { "200": { $ref: "#/components/responses/Nope" } } } } },
      }),
    );
    expect(dangling).toMatchObject({ ok: false, errors: [{ path: "/paths/~1a/get/responses/200/$ref" }] });
    const old = await prepareDefinition('{"swagger":"1.2"}');
    expect(old).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/not supported/) }] });
    const other = await prepareDefinition('{"asyncapi":"2.0.0"}');
    expect(other).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/not an OpenAPI document/) }] });
  });

  it("imports a document of thousands of operations in a few seconds", async () => {
    const text = JSON.stringify(generateLargeDocument({ resources: 700 }));
    expect(text.length).toBeGreaterThan(1_900_000);
    const started = performance.now();
    const result = await prepared(text);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.operations.length).toBe(3501);
  }, 30_000);
});

describe("operations", () => {
  it("keeps per-operation overrides across edits by method and path", () => {
    const doc = buildScratchDocument({
      name: "A",
      version: "1",
      operations: [
        { method: "get", path: "/a" },
        { method: "post", path: "/a" },
      ],
    });
    const first = extractOperations(doc);
    first[1] = { ...first[1], security: "none", rateLimit: { requests: 5, unit: "second", burst: 1 } };
    const again = extractOperations(doc, first);
    expect(again[1]).toMatchObject({ method: "post", security: "none", rateLimit: { requests: 5 } });
    expect(again[0].security).toBeNull();
  });

  it("builds a valid document from scratch, with path parameters declared", async () => {
    const doc = buildScratchDocument({
      name: "Scratch",
      version: "0.1.0",
      operations: [{ method: "get", path: "/users/{userId}", summary: "One user" }],
    });
    const result = await prepared(JSON.stringify(doc));
    expect(result.operations[0]).toMatchObject({
      method: "get",
      path: "/users/{userId}",
      operationId: "getUsersUserId",
      summary: "One user",
    });
  });
});

describe("diff", () => {
  it("folds unchanged lines and counts changes", () => {
    const before = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 25", "line twenty-five");
    const diff = diffTexts(before, after);
    expect(diff).toMatchObject({ added: 1, removed: 1, truncated: false });
    expect(diff.lines.filter((l) => l.kind === "skipped").map((l) => l.count)).toEqual([22, 21]);
    expect(diff.lines.find((l) => l.kind === "added")?.text).toBe("line twenty-five");
  });

  it("ignores key order and lists changed settings", () => {
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } })).toBe(stableJson({ a: { c: 2, d: 1 }, b: 1 }));
    expect(
      diffFields({ name: "A", tags: ["x"], cors: { enabled: false } }, { name: "A", tags: ["x", "y"], cors: { enabled: false } }),
    ).toEqual([{ field: "tags", before: ["x"], after: ["x", "y"] }]);
  });
});
