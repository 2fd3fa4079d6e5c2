import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseDefinitionText } from "./parse";
import { readablePlace } from "./pointer";
import { prepareDefinition } from "./prepare";

const base = { openapi: "3.0.3", info: { title: "t", version: "1" } };
const ok = { "200": { description: "ok" } };

/** The same document as pretty JSON, minified JSON and YAML. */
const texts = (doc: object) => ({ json: JSON.stringify(doc, null, 2), yaml: stringify(doc) });

/** The 1-based line of the first line of `text` that contains `needle` after line `after`. */
const lineOf = (text: string, needle: string, after = 0) => text.split("\n").findIndex((l, i) => i >= after && l.includes(needle)) + 1;

describe("readable places", () => {
  it("reads a pointer as a person does", () => {
    expect(readablePlace("/paths/~1x/get/responses")).toBe("paths › /x › get › responses");
    expect(readablePlace("/paths/~1a~1{id}/get/parameters/0")).toBe("paths › /a/{id} › get › parameters › 0");
    expect(readablePlace("")).toBe("");
  });

  it.each(["json", "yaml"] as const)("names a schema error's place and its line in %s", async (format) => {
    const text = texts({ ...base, paths: { "/x": { get: { summary: "s", responses: "oops" } } } })[format];
    const result = await prepareDefinition(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        path: "/paths/~1x/get/responses",
        place: "paths › /x › get › responses",
        message: "Must be object.",
        line: lineOf(text, "responses"),
      },
    ]);
  });

  it.each(["json", "yaml"] as const)("rewrites the parser's own place names in %s", async (format) => {
    const text = texts({ ...base, paths: { "/a/{id}": { get: { responses: ok } } } })[format];
    const result = await prepareDefinition(text);
    if (result.ok) throw new Error("expected errors");
    expect(result.errors[0]).toMatchObject({ place: "paths › /a/{id} › get", line: lineOf(text, "get") });
    expect(result.errors[0].message).toBe("paths › /a/{id} › get is missing path parameter(s) for `{id}`.");
    expect(result.errors[0].message).not.toContain("/paths/");
  });

  it.each(["json", "yaml"] as const)("points a duplicated operationId at the second one in %s", async (format) => {
    const text = texts({
      ...base,
      paths: { "/x": { get: { operationId: "a", responses: ok }, post: { operationId: "a", responses: ok } } },
    })[format];
    const result = await prepareDefinition(text);
    if (result.ok) throw new Error("expected errors");
    const second = lineOf(text, "operationId", lineOf(text, "operationId"));
    expect(result.errors[0]).toMatchObject({ place: "paths › /x › post › operationId", line: second });
    expect(second).toBeGreaterThan(lineOf(text, "operationId"));
  });
});

describe("JSON syntax errors", () => {
  it.each([
    ["a trailing comma, on the comma's line", '{\n  "openapi": "3.0.3",\n  "paths": {},\n}\n', 3, /comma before `}`/],
    ["a trailing comma in an array", '{\n  "tags": [1, 2,\n  ]\n}', 2, /comma before `]`/],
    [
      "a missing comma, on the line of the value before it",
      '{\n  "openapi": "3.0.3"\n  "info": {}\n}',
      2,
      /comma is missing before `"info"`/,
    ],
    ["an unquoted word (no position in V8's message)", '{\n  "openapi": "3.0.3",\n  "info": x\n}', 3, /Unexpected `x`/],
    ["a single-quoted string", "{\n  \"openapi\": '3.0.3'\n}", 2, /Unexpected/],
    ["an unclosed object", '{\n  "openapi": "3.0.3",\n  "info": {\n', 4, /`}` is missing/],
    ["a comment", '{\n  "openapi": "3.0.3" // here\n}', 2, /no comments/],
  ])("reports %s", (_, text, line, message) => {
    const result = parseDefinitionText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path: "", line, message: expect.stringMatching(/^JSON syntax error: /) });
    expect(result.errors[0].message).toMatch(message);
    expect(result.errors[0].column).toBeGreaterThan(0);
  });

  it("reports a YAML syntax error with its line, without repeating it in the message", () => {
    const result = parseDefinitionText("openapi: 3.0.3\ninfo:\n  title: t\npaths:\n  /x: {get: x\n");
    if (result.ok) throw new Error("expected an error");
    expect(result.errors[0].line).toBeGreaterThanOrEqual(5);
    expect(result.errors[0].message).toMatch(/^YAML syntax error: /);
    expect(result.errors[0].message).not.toMatch(/at line \d+/);
  });
});
