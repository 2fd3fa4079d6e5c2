import { parse as parseYaml, YAMLParseError } from "yaml";
import { checkDocumentBounds, DEFAULT_DOCUMENT_BOUNDS, type BoundsViolation, type DocumentBounds } from "./bounds";
import { describeJsonSyntaxError } from "./json-syntax";
import { isObject, type DefinitionError, type JsonObject, type SourceFormat } from "./types";

/** `limit` is set when the document was refused for its shape (too deep, too many values), not for its content. */
export type ParseResult =
  { ok: true; document: JsonObject; format: SourceFormat } | { ok: false; errors: DefinitionError[]; limit?: BoundsViolation };

const STACK_OVERFLOW = /Maximum call stack size exceeded/;

function refusedFor(limit: BoundsViolation): ParseResult {
  return { ok: false, errors: [{ path: limit.path, message: limit.message }], limit };
}

/** JSON text starts with `{` (after white space and an optional byte-order mark). */
export function detectFormat(text: string): SourceFormat {
  return /^\uFEFF?\s*\{/.test(text) ? "json" : "yaml";
}

/** A JSON syntax error where a person fixing it looks (see json-syntax.ts); JSON.parse's own message when the scanner disagrees. */
function jsonSyntaxError(text: string, error: unknown): DefinitionError {
  const found = describeJsonSyntaxError(text);
  if (found) return { path: "", message: `JSON syntax error: ${found.message}`, line: found.line, column: found.column };
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  return {
    path: "",
    message: `JSON syntax error: ${message}`,
    line: position ? text.slice(0, Number(position[1])).split("\n").length : undefined,
  };
}

/**
 * Parses a document written as JSON or YAML. JSON goes through JSON.parse, which is many
 * times faster than a YAML parser on large documents, and keeps no stack of its own; YAML
 * aliases are capped by the parser (no "billion laughs"). The YAML parser recurses once per
 * level: a document nested deeper than it can follow is refused like any document past the
 * depth bound, which every parsed document is then checked against.
 */
export function parseDefinitionText(text: string, bounds: DocumentBounds = DEFAULT_DOCUMENT_BOUNDS): ParseResult {
  const source = text.replace(/^\uFEFF/, "");
  if (!source.trim()) return { ok: false, errors: [{ path: "", message: "The document is empty." }] };
  const format = detectFormat(source);
  let document: unknown;
  try {
    document = format === "json" ? JSON.parse(source) : parseYaml(source, { prettyErrors: true, maxAliasCount: 1000 });
  } catch (error) {
    if ((error instanceof YAMLParseError || error instanceof RangeError) && STACK_OVERFLOW.test(error.message)) {
      return refusedFor({
        limit: "depth",
        max: bounds.maxDepth,
        path: "",
        message: `The document is nested more than ${bounds.maxDepth} levels deep, the most Meridian accepts.`,
      });
    }
    if (error instanceof YAMLParseError) {
      // The parser's message ends with its own "at line 10, column 1:"; the line and column are fields.
      const message = error.message.split("\n")[0].replace(/\s*at line \d+, column \d+:?\s*$/, "");
      return {
        ok: false,
        errors: [
          {
            path: "",
            message: `YAML syntax error: ${message.endsWith(".") ? message : `${message}.`}`,
            line: error.linePos?.[0]?.line,
            column: error.linePos?.[0]?.col,
          },
        ],
      };
    }
    try {
      return { ok: false, errors: [jsonSyntaxError(source, error)] };
    } catch (located) {
      // Locating the error recurses once per level: text too deep for it is too deep to accept.
      if (!(located instanceof RangeError)) throw located;
      return refusedFor({
        limit: "depth",
        max: bounds.maxDepth,
        path: "",
        message: `The document is nested more than ${bounds.maxDepth} levels deep, the most Meridian accepts.`,
      });
    }
  }
  if (!isObject(document))
    return { ok: false, errors: [{ path: "", message: "The document must be an object with an `openapi` or `swagger` field." }] };
  const limit = checkDocumentBounds(document, bounds);
  if (limit) return refusedFor(limit);
  return { ok: true, document, format };
}
