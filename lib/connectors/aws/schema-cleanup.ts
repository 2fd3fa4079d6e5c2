import { isObject, type JsonObject } from "@/lib/domain/openapi/types";

/**
 * API Gateway turns schemas into JSON Schema draft 4 models and fails the import on keywords it
 * does not support. These keywords only document (examples, XML names, read/write hints,
 * discriminators), so removing them changes what the document says, not what is enforced.
 */
const DOCUMENTATION_ONLY = [
  "example",
  "examples",
  "xml",
  "readOnly",
  "writeOnly",
  "discriminator",
  "externalDocs",
  "deprecated",
  "$schema",
  "$id",
  "$comment",
  "contentMediaType",
  "contentEncoding",
];

/** A schema that API Gateway accepts: draft 4 spellings of the 3.1 keywords it would refuse. */
export function cleanSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cleanSchema);
  if (!isObject(value)) return value;
  // In 3.0 a $ref replaces its siblings: they only confuse the importer.
  if (typeof value.$ref === "string") return { $ref: value.$ref };
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (DOCUMENTATION_ONLY.includes(key)) continue;
    if (key === "properties" || key === "patternProperties" || key === "definitions" || key === "$defs") {
      out[key === "$defs" ? "definitions" : key] = isObject(child)
        ? Object.fromEntries(Object.entries(child).map(([name, s]) => [name, cleanSchema(s)]))
        : child;
    } else if (
      key === "items" ||
      key === "additionalProperties" ||
      key === "not" ||
      key === "allOf" ||
      key === "anyOf" ||
      key === "oneOf"
    ) {
      out[key] = cleanSchema(child);
    } else {
      out[key] = child;
    }
  }
  // 3.1: type: ["string", "null"] is 3.0's nullable.
  if (Array.isArray(out.type)) {
    const types = out.type.filter((t) => t !== "null");
    if (types.length < out.type.length) out.nullable = true;
    if (types.length === 1) out.type = types[0];
    else delete out.type;
  }
  if ("const" in out) {
    out.enum = [out.const];
    delete out.const;
  }
  // 3.1 numeric exclusive bounds are draft 4 booleans beside minimum/maximum.
  for (const [exclusive, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof out[exclusive] === "number") {
      out[bound] = out[exclusive];
      out[exclusive] = true;
    }
  }
  return out;
}

function cleanContent(content: unknown): unknown {
  if (!isObject(content)) return content;
  const out: JsonObject = {};
  for (const [mediaType, media] of Object.entries(content)) {
    if (!isObject(media)) continue;
    const { example: _example, examples: _examples, ...rest } = media;
    out[mediaType] = "schema" in rest ? { ...rest, schema: cleanSchema(rest.schema) } : rest;
  }
  return out;
}

/** A parameter or a header object. */
export function cleanParameter(value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref === "string") return value;
  const { example: _example, examples: _examples, ...rest } = value;
  if ("schema" in rest) rest.schema = cleanSchema(rest.schema);
  if ("content" in rest) rest.content = cleanContent(rest.content);
  return rest;
}

export function cleanRequestBody(value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref === "string") return value;
  return "content" in value ? { ...value, content: cleanContent(value.content) } : value;
}

export function cleanResponse(value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref === "string") return value;
  const { links: _links, ...rest } = value;
  if ("content" in rest) rest.content = cleanContent(rest.content);
  if (isObject(rest.headers)) rest.headers = mapValues(rest.headers, cleanParameter);
  return rest;
}

export function mapValues(value: unknown, fn: (v: unknown) => unknown): JsonObject {
  return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)])) : {};
}

/** Components without security schemes (replaced by API Gateway's), callbacks, links, examples and path items. */
export function cleanComponents(value: unknown): JsonObject {
  if (!isObject(value)) return {};
  const out: JsonObject = {};
  if (isObject(value.schemas)) out.schemas = mapValues(value.schemas, cleanSchema);
  if (isObject(value.parameters)) out.parameters = mapValues(value.parameters, cleanParameter);
  if (isObject(value.headers)) out.headers = mapValues(value.headers, cleanParameter);
  if (isObject(value.requestBodies)) out.requestBodies = mapValues(value.requestBodies, cleanRequestBody);
  if (isObject(value.responses)) out.responses = mapValues(value.responses, cleanResponse);
  return out;
}
