import { parseDocument } from "yaml";
import { isObject, type JsonObject, type SourceFormat } from "./types";

/**
 * Sets info.version in a document and in its text. YAML keeps its comments and layout; JSON is
 * re-indented with two spaces (its original layout cannot be kept by a JSON parser).
 */
export function withInfoVersion(
  document: JsonObject,
  source: string,
  format: SourceFormat,
  version: string,
): { document: JsonObject; source: string } {
  const info = isObject(document.info) ? document.info : {};
  const nextDocument = { ...document, info: { ...info, version } };
  if (format === "json") {
    const parsed = JSON.parse(source) as JsonObject;
    const parsedInfo = isObject(parsed.info) ? parsed.info : {};
    return { document: nextDocument, source: JSON.stringify({ ...parsed, info: { ...parsedInfo, version } }, null, 2) };
  }
  const doc = parseDocument(source);
  doc.setIn(["info", "version"], version);
  return { document: nextDocument, source: doc.toString() };
}
