import type { BoundsViolation, DocumentBounds } from "./bounds";
import { locateErrors } from "./locate";
import { normalizeToOpenApi3 } from "./normalize";
import { extractOperations, type ApiOperation } from "./operations";
import { parseDefinitionText } from "./parse";
import { readablePlace } from "./pointer";
import { findExternalRefs } from "./refs";
import { isObject, type DefinitionError, type JsonObject, type SourceFormat, type SpecVersion } from "./types";
import { validateDocument } from "./validate";

export interface PreparedDefinition {
  ok: true;
  /** The normalized OpenAPI 3.x document, as stored. */
  document: JsonObject;
  /** The text as uploaded. */
  source: string;
  format: SourceFormat;
  spec: SpecVersion;
  operations: ApiOperation[];
  warnings: string[];
  info: { title: string | null; version: string | null; description: string | null; serverUrl: string | null };
}

export type PrepareResult = PreparedDefinition | { ok: false; errors: DefinitionError[]; limit?: BoundsViolation };

function infoOf(document: JsonObject): PreparedDefinition["info"] {
  const info = isObject(document.info) ? document.info : {};
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  const server = Array.isArray(document.servers) && isObject(document.servers[0]) ? str(document.servers[0].url) : null;
  return {
    title: str(info.title),
    version: str(info.version),
    description: str(info.description),
    serverUrl: server && /^https?:\/\//i.test(server) && !server.includes("{") ? server : null,
  };
}

/** Each error also names its place as a person reads it (`paths › /pets › get`). */
function withPlaces(errors: DefinitionError[]): DefinitionError[] {
  return errors.map((e) => (e.path ? { ...e, place: readablePlace(e.path) } : e));
}

/**
 * The import pipeline, from text to what is stored: parse (JSON or YAML), refuse external
 * references, validate against the document's own specification, normalize to 3.x, list the
 * operations. Errors carry a pointer and the line in the text. A document past the bounds of
 * depth and size is refused right after parsing, before any walk that recurses into it.
 */
export async function prepareDefinition(
  text: string,
  previousOperations: ReadonlyArray<ApiOperation> = [],
  bounds?: DocumentBounds,
): Promise<PrepareResult> {
  const parsed = parseDefinitionText(text, bounds);
  if (!parsed.ok) return parsed;
  const external = findExternalRefs(parsed.document);
  if (external.length) return { ok: false, errors: withPlaces(locateErrors(text, external)) };
  const validation = await validateDocument(parsed.document);
  if (!validation.ok) return { ok: false, errors: withPlaces(locateErrors(text, validation.errors)) };
  let document: JsonObject;
  try {
    document = await normalizeToOpenApi3(parsed.document, validation.spec);
  } catch (error) {
    return {
      ok: false,
      errors: [
        {
          path: "",
          message: `The Swagger 2.0 document could not be converted to OpenAPI 3: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
  return {
    ok: true,
    document,
    source: text,
    format: parsed.format,
    spec: validation.spec,
    operations: extractOperations(document, previousOperations),
    warnings: validation.warnings,
    info: infoOf(parsed.document),
  };
}
