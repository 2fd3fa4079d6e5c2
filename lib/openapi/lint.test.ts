import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Document, Spectral, type ISpectralDiagnostic, type RulesetDefinition } from "@stoplight/spectral-core";
import { Json as JsonParser } from "@stoplight/spectral-parsers";
import { oas } from "@stoplight/spectral-rulesets";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./document";

/**
 * The management API's description, linted as its users lint it: Spectral's `spectral:oas`
 * ruleset and Redocly's `recommended` rules. No error, and no warning but these, each for a reason:
 */
const ACCEPTED_WARNINGS: Array<{ rule: string; at?: RegExp; why: string }> = [
  { rule: "operation-description", why: "every operation has a summary; descriptions are added where a summary is not enough" },
  { rule: "info-contact", why: "the document describes an installation, whose operators' contact Meridian does not know" },
  { rule: "info-license", why: "the same: the license of an installation's API is its operators' to state" },
  {
    rule: "operation-4xx-response",
    at: /^#\/paths\/(~1api~1health|~1api~1v1~1schemas~1project\.json|~1oauth2~1jwks|~1\.well-known~1openid-configuration|~1\.well-known~1oauth-authorization-server)\/get\//,
    why: "public reads with no input: they answer 200 (or 503 for health)",
  },
];

/** What `extends: ["spectral:oas"]` means in a .spectral.yaml: the oas ruleset's recommended rules. */
const SPECTRAL_OAS: RulesetDefinition = { extends: [[oas as RulesetDefinition, "recommended"]] };

const source = JSON.stringify(buildOpenApiDocument("1.0.0"), null, 2);
const accepted = (rule: string, pointer: string) => ACCEPTED_WARNINGS.some((w) => w.rule === rule && (!w.at || w.at.test(pointer)));
const pointerOf = (path: ReadonlyArray<string | number>) =>
  `#/${path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

// Spectral takes seconds on a busy machine.
describe("management API description under OpenAPI linters", { timeout: 60_000 }, () => {
  it("passes spectral:oas", async () => {
    const spectral = new Spectral();
    spectral.setRuleset(SPECTRAL_OAS);
    const results = await spectral.run(new Document(source, JsonParser, "openapi.json"));
    // Severity 0 is an error, 1 a warning; information and hints are left to the reader.
    const problems = results.filter(
      (d: ISpectralDiagnostic) => d.severity <= 1 && !(d.severity === 1 && accepted(String(d.code), pointerOf(d.path))),
    );
    expect(problems.map((d) => `${d.code} at ${pointerOf(d.path)}: ${d.message}`)).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
  });

  it("passes Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const results = await lintFromString({ source, absoluteRef: "openapi.json", config });
    const problems = results.filter(
      (p) => p.severity === "error" || (p.severity === "warn" && !accepted(p.ruleId, p.location[0]?.pointer ?? "")),
    );
    expect(problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
  });

  it("finds what the linters report in a document that breaks their rules", async () => {
    const broken = JSON.stringify({
      openapi: "3.1.0",
      info: { title: "x", version: "1" },
      paths: {
        "/x": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "array" } } } } } } },
      },
    });
    const spectral = new Spectral();
    spectral.setRuleset(SPECTRAL_OAS);
    expect((await spectral.run(new Document(broken, JsonParser, "x.json"))).map((d) => d.code)).toEqual(
      expect.arrayContaining(["array-items", "operation-operationId"]),
    );
    const redocly = await lintFromString({
      source: broken,
      absoluteRef: "x.json",
      config: await createConfig({ extends: ["recommended"] }),
    });
    expect(redocly.map((p) => p.ruleId)).toEqual(expect.arrayContaining(["operation-operationId", "operation-4xx-response"]));
  });

  it("gives every operation a unique operationId", () => {
    const doc = buildOpenApiDocument("1.0.0") as { paths: Record<string, Record<string, { operationId?: string }>> };
    const ids = Object.values(doc.paths).flatMap((item) =>
      ["get", "put", "post", "patch", "delete"].filter((m) => item[m]).map((m) => item[m].operationId),
    );
    expect(ids.filter((id) => typeof id !== "string")).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
