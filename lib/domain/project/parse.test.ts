import { describe, expect, it } from "vitest";
import { parseProject, formatProjectError } from "./parse";
import { projectJsonSchema } from "./schema";

const GOOD = `apiVersion: meridian/v1
tiers:
  - name: Gold
    requests: 100
    unit: minute
apis:
  - name: Pets
    version: v1
    context: /pets
    definition: pets.yaml
    tiers: [Gold]
deployments:
  - api: Pets
    environments: [aws-prod]
`;

describe("parseProject", () => {
  it("accepts a valid file", () => {
    const r = parseProject(GOOD, { files: new Set(["pets.yaml"]) });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.project.apis?.[0]).toMatchObject({ name: "Pets", context: "/pets", tiers: ["Gold"] });
  });

  it("reports every schema error with its path and line", () => {
    const text = `apiVersion: meridian/v1
apis:
  - name: Pets
    version: v1
    definition: pets.yaml
    colour: blue
  - name: Orders
    version: 7
    context: /orders
    definition: orders.yaml
`;
    const r = parseProject(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e]));
    expect(byPath["apis[0].context"]).toMatchObject({ line: 3 });
    expect(byPath["apis[0].colour"]).toMatchObject({ line: 6, message: 'Unknown field "colour".' });
    expect(byPath["apis[1].version"]).toMatchObject({ line: 8 });
    expect(r.errors).toHaveLength(3);
    expect(formatProjectError(byPath["apis[1].version"])).toMatch(/^apis\[1\]\.version \(line 8, column 14\): /);
  });

  it("reports YAML syntax errors with their line", () => {
    const r = parseProject("apiVersion: meridian/v1\napis:\n  - name: [unclosed\n");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].line).toBeGreaterThanOrEqual(3);
  });

  it("checks the rules between entries: duplicates, references, files", () => {
    const text = `apiVersion: meridian/v1
tiers:
  - name: Free
    unlimited: true
    requests: 5
apis:
  - { name: Pets, version: v1, context: /pets, definition: pets.yaml }
  - { name: Pets, version: v1, context: /pets2, definition: missing.yaml }
deployments:
  - api: Nope
    environments: [x]
`;
    const r = parseProject(text, { files: new Set(["pets.yaml"]) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.path}:${e.line}`).sort()).toEqual(
      ["apis[1].definition:8", "apis[1].version:8", "deployments[0].api:10", "tiers[0].unlimited:4"].sort(),
    );
  });

  it("refuses a file that is not a mapping", () => {
    expect(parseProject("- a\n- b\n")).toMatchObject({ ok: false, errors: [{ line: 1 }] });
  });
});

describe("projectJsonSchema", () => {
  it("describes the file's fields", () => {
    const schema = projectJsonSchema("https://meridian.example") as {
      $id: string;
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(schema.$id).toBe("https://meridian.example/api/v1/schemas/project.json");
    expect(Object.keys(schema.properties)).toEqual(["apiVersion", "tiers", "apis", "deployments"]);
    expect(schema.required).toEqual(["apiVersion"]);
  });
});
