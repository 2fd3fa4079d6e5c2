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
 * Visits every `$ref` string with the path of the object that holds it. One shared path array
 * (pushed and popped) keeps a walk of a document of thousands of operations cheap.
 */
export function forEachRef(document: unknown, visit: (ref: string, at: string[]) => void): void {
  const path: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (item !== null && typeof item === "object") {
          path.push(String(i));
          walk(item);
          path.pop();
        }
      }
    } else if (isObject(value)) {
      const obj = value as JsonObject;
      if (typeof obj.$ref === "string") visit(obj.$ref, [...path]);
      for (const key in obj) {
        const child = obj[key];
        if (key !== "$ref" && child !== null && typeof child === "object") {
          path.push(key);
          walk(child);
          path.pop();
        }
      }
    }
  };
  walk(document);
}
