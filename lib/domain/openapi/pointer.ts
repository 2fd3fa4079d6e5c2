import { isObject, type JsonObject } from "./types";

/** RFC 6901 JSON pointers: `/paths/~1pets/get`. */
export function encodePointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

export function decodePointer(pointer: string): string[] {
  if (pointer === "" || pointer === "#") return [];
  const body = pointer.startsWith("#") ? pointer.slice(1) : pointer;
  return body
    .split("/")
    .slice(1)
    .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * A pointer as a person reads it: `/paths/~1pets~1{id}/get/responses` is
 * `paths › /pets/{id} › get › responses`. The document itself is "".
 */
export function readablePlace(pointer: string): string {
  return decodePointer(pointer).join(" › ");
}

export function getAtPointer(document: unknown, pointer: string): unknown {
  let current: unknown = document;
  for (const segment of decodePointer(pointer)) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isObject(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

/**
 * Visits every `$ref` string with the path of the object that holds it. The walk keeps its own
 * stack (one frame per open object or array, with one shared path array), so that neither a
 * deep document nor one of thousands of operations costs more than its size.
 */
export function forEachRef(document: unknown, visit: (ref: string, at: string[]) => void): void {
  if (document === null || typeof document !== "object") return;
  const path: string[] = [];
  const frames: Array<{ container: JsonObject | unknown[]; keys: string[] | null; next: number }> = [];
  const open = (value: object) => {
    if (Array.isArray(value)) {
      frames.push({ container: value, keys: null, next: 0 });
      return;
    }
    const obj = value as JsonObject;
    if (typeof obj.$ref === "string") visit(obj.$ref, [...path]);
    frames.push({ container: obj, keys: Object.keys(obj).filter((k) => k !== "$ref"), next: 0 });
  };
  open(document);
  while (frames.length) {
    const frame = frames[frames.length - 1];
    // Leaving a frame other than the document's: its key goes off the path.
    if (frame.next > 0) path.pop();
    const size = frame.keys ? frame.keys.length : (frame.container as unknown[]).length;
    let child: unknown;
    let key = "";
    while (frame.next < size) {
      key = frame.keys ? frame.keys[frame.next] : String(frame.next);
      child = frame.keys ? (frame.container as JsonObject)[key] : (frame.container as unknown[])[frame.next];
      frame.next++;
      if (child !== null && typeof child === "object") break;
      child = undefined;
    }
    if (child === undefined) {
      frames.pop();
      continue;
    }
    path.push(key);
    open(child as object);
  }
}
