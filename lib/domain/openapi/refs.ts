import { encodePointer, forEachRef, getAtPointer } from "./pointer";
import type { DefinitionError } from "./types";

const MAX_REPORTED = 50;

/**
 * A single uploaded file cannot bring the files it points at, and following a `$ref` to a URL
 * or a path would make the server fetch or read on the uploader's behalf: every `$ref` that
 * does not start with `#` is refused, named with the place where it occurs.
 */
export function findExternalRefs(document: unknown): DefinitionError[] {
  const errors: DefinitionError[] = [];
  forEachRef(document, (ref, at) => {
    if (ref.startsWith("#") || errors.length >= MAX_REPORTED) return;
    errors.push({
      path: encodePointer([...at, "$ref"]),
      message: `External reference "${ref}" is not supported: a single uploaded document must be self-contained. Bundle the referenced file into components and use "#/components/…" references.`,
    });
  });
  return errors;
}

/** Internal references that point at nothing, named where they occur. */
export function findDanglingRefs(document: unknown): DefinitionError[] {
  const errors: DefinitionError[] = [];
  // Large documents point at the same few components thousands of times.
  const resolved = new Map<string, boolean>();
  forEachRef(document, (ref, at) => {
    if (!ref.startsWith("#") || errors.length >= MAX_REPORTED) return;
    let exists = resolved.get(ref);
    if (exists === undefined) resolved.set(ref, (exists = getAtPointer(document, ref) !== undefined));
    if (!exists) {
      errors.push({ path: encodePointer([...at, "$ref"]), message: `Reference "${ref}" points at nothing in this document.` });
    }
  });
  return errors;
}
