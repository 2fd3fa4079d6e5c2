import { parse as parseYaml, parseDocument, YAMLParseError } from "yaml";
import { isObject, type DefinitionError, type JsonObject, type SourceFormat } from "./types";

export type ParseResult = { ok: true; document: JsonObject; format: SourceFormat } | { ok: false; errors: DefinitionError[] };

/** JSON text starts with `{` (after white space and an optional byte-order mark). */
export function detectFormat(text: string): SourceFormat {
  return /^\uFEFF?\s*\{/.test(text) ? "json" : "yaml";
}

/**
 * Where a JSON syntax error is. Some runtimes give the position in the message; otherwise a
 * YAML parse of the same text (JSON is YAML) usually stops at the same place.
 */
function jsonErrorLine(text: string, error: unknown): number | undefined {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : "");
  if (match) return text.slice(0, Number(match[1])).split("\n").length;
  const yamlError = parseDocument(text, { prettyErrors: true }).errors[0];
  return yamlError?.linePos?.[0]?.line;
}

/**
 * Parses a document written as JSON or YAML. JSON goes through JSON.parse, which is many
 * times faster than a YAML parser on large documents; YAML aliases are capped by the parser
 * (no "billion laughs").
 */
export function parseDefinitionText(text: string): ParseResult {
  const source = text.replace(/^\uFEFF/, "");
  if (!source.trim()) return { ok: false, errors: [{ path: "", message: "The document is empty." }] };
  const format = detectFormat(source);
  let document: unknown;
  try {
    document = format === "json" ? JSON.parse(source) : parseYaml(source, { prettyErrors: true, maxAliasCount: 1000 });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      return { ok: false, errors: [{ path: "", message: `YAML syntax error: ${error.message.split("\n")[0]}`, line: error.linePos?.[0]?.line }] };
    }
    return { ok: false, errors: [{ path: "", message: `JSON syntax error: ${error instanceof Error ? error.message : String(error)}`, line: jsonErrorLine(source, error) }] };
  }
  if (!isObject(document)) return { ok: false, errors: [{ path: "", message: "The document must be an object with an `openapi` or `swagger` field." }] };
  return { ok: true, document, format };
}
