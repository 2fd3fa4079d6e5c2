import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { decodePointer } from "./pointer";
import type { DefinitionError } from "./types";

/** Above this size, finding lines costs more than it helps: errors keep their paths only. */
const MAX_LOCATE_BYTES = 8 * 1024 * 1024;

/**
 * Adds the line of each error in the text the user wrote (JSON is YAML, so one parser finds
 * both). A path that does not exist resolves to its deepest existing ancestor.
 */
export function locateErrors(text: string, errors: DefinitionError[]): DefinitionError[] {
  if (errors.length === 0 || text.length > MAX_LOCATE_BYTES || errors.every((e) => e.line !== undefined)) return errors;
  const lineCounter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  } catch {
    return errors;
  }
  return errors.map((error) => {
    if (error.line !== undefined) return error;
    let node: unknown = doc.contents;
    let offset: number | undefined = (node as Node | null)?.range?.[0];
    for (const segment of decodePointer(error.path)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === segment);
        if (!pair) break;
        offset = (pair.key as Node | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else break;
    }
    return offset === undefined ? error : { ...error, line: lineCounter.linePos(offset).line };
  });
}
