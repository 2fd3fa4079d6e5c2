import { AppError } from "@/lib/errors";

/**
 * Text the management API accepts. PostgreSQL stores no NUL character in text, and a string
 * that is not UTF-8 (or, once parsed, holds a lone UTF-16 surrogate) cannot be stored as sent:
 * both are refused with a 400 naming the field, before anything reaches a service.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Decodes a body as UTF-8, refusing malformed byte sequences instead of replacing them. */
export function decodeUtf8(bytes: Uint8Array, what = "The request body"): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AppError("bad_request", `${what} is not valid UTF-8.`);
  }
}

/** Why a string cannot be stored, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  if (value.includes("\u0000")) return "Text may not contain NUL characters (\\u0000).";
  if (LONE_SURROGATE.test(value)) return "Text must be valid Unicode (a lone surrogate cannot be encoded as UTF-8).";
  return undefined;
}

function refuse(path: string, message: string): never {
  const key = path || "_";
  throw new AppError("bad_request", path ? `${path}: ${message}` : message, { fieldErrors: { [key]: message } });
}

/**
 * Walks a parsed JSON value (keys and strings) and refuses the first string that cannot be
 * stored. Iterative, with a stack of its own: bodies may be nested deeper than the call stack
 * goes (their depth is bounded elsewhere, after this check).
 */
export function assertStorableText(value: unknown, path = ""): void {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [current, at] = stack.pop()!;
    if (typeof current === "string") {
      const problem = textProblem(current);
      if (problem) refuse(at, problem);
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) stack.push([current[index], at ? `${at}.${index}` : String(index)]);
    } else if (current && typeof current === "object") {
      const entries = Object.entries(current);
      for (const [key] of entries) {
        const keyProblem = textProblem(key);
        if (keyProblem) refuse(at, keyProblem);
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][1], at ? `${at}.${entries[i][0]}` : entries[i][0]]);
    }
  }
}

/**
 * The query string's parameters, refusing a malformed percent-encoding (`%FF`, which
 * URLSearchParams would silently turn into U+FFFD) and text that cannot be stored.
 */
export function queryParameters(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  for (const pair of raw.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const [rawKey, rawValue] = eq === -1 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, " "));
      value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      throw new AppError("bad_request", "The query string is not valid percent-encoded UTF-8.");
    }
    assertStorableText(value, key);
    assertStorableText(key);
    // The last occurrence wins when a parameter repeats (Object.fromEntries of URLSearchParams).
    out[key] = value;
  }
  return out;
}

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/** The media type and charset of a Content-Type header, lower-cased; undefined when absent. */
export function mediaTypeOf(contentType: string | null): { type: string; charset?: string } | undefined {
  if (!contentType || !contentType.trim()) return undefined;
  const [type, ...parameters] = contentType.split(";");
  const charset = parameters
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith("charset="))
    ?.slice("charset=".length)
    .replace(/^"|"$/g, "");
  return { type: type.trim().toLowerCase(), charset };
}

/** application/json, or a structured-syntax `+json` type (application/merge-patch+json, …). */
export function isJsonMediaType(type: string): boolean {
  return MEDIA_TYPE.test(type) && (type === "application/json" || (type.startsWith("application/") && type.endsWith("+json")));
}

export function unsupportedMediaType(accepted: string[]): AppError {
  return new AppError("unsupported_media_type", `Send the body as ${accepted.join(" or ")} (with a matching Content-Type header).`, {
    extra: { accepted },
  });
}

/** Refuses a body whose declared charset is not UTF-8 (JSON is UTF-8 by definition). */
export function assertUtf8Charset(charset: string | undefined, accepted: string[]): void {
  if (charset && charset !== "utf-8" && charset !== "utf8") throw unsupportedMediaType(accepted.map((t) => `${t}; charset=utf-8`));
}
