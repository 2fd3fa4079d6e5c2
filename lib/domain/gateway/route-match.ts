/**
 * Request routing: first the API by context and version, then the operation by method and
 * path template. Pure and precomputed per snapshot so that a request costs a few map lookups
 * and a short scan over one API's operations.
 */

export type TemplateSegment =
  { kind: "literal"; value: string } | { kind: "pattern"; regex: RegExp } | { kind: "param" } | { kind: "wildcard" };

/** Literal segments beat mixed ones (`{id}.json`), which beat parameters, which beat `*`. */
const RANK = { literal: 3, pattern: 2, param: 1, wildcard: 0 } as const;

export function parseTemplate(template: string): TemplateSegment[] {
  const parts = template.split("/").filter((s) => s !== "");
  return parts.map((part, i) => {
    if (part === "*" && i === parts.length - 1) return { kind: "wildcard" };
    if (/^\{[^{}]+\}$/.test(part)) return { kind: "param" };
    if (part.includes("{")) {
      const source = part
        .split(/(\{[^{}]+\})/)
        .map((piece) => (piece.startsWith("{") ? "[^/]+?" : piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
      return { kind: "pattern", regex: new RegExp(`^${source}$`) };
    }
    return { kind: "literal", value: part };
  });
}

/**
 * Orders templates most specific first: at the first segment where they differ in kind, the
 * higher rank wins; when one is a prefix of the other, the longer wins.
 */
export function compareTemplates(a: TemplateSegment[], b: TemplateSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = RANK[b[i].kind] - RANK[a[i].kind];
    if (diff !== 0) return diff;
  }
  return b.length - a.length;
}

export function matchTemplate(template: TemplateSegment[], segments: string[]): boolean {
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    if (t.kind === "wildcard") return true;
    const s = segments[i];
    if (s === undefined) return false;
    if (t.kind === "literal" ? t.value !== s : t.kind === "pattern" ? !t.regex.test(s) : false) return false;
  }
  return template.length === segments.length;
}

/**
 * Splits a raw request path into segments, dropping empty ones (`//`, a trailing `/`). Returns
 * null for dot segments, raw or percent-encoded: the upstream would resolve them after the
 * gateway matched the path, so `/v1/open/../admin` could reach an operation the gateway never
 * checked.
 */
export function splitPath(path: string): string[] | null {
  const segments: string[] = [];
  for (const s of path.split("/")) {
    if (s === "") continue;
    const first = s.charCodeAt(0);
    // Only segments starting with "." or "%" can be dot segments; the regex runs for those alone.
    if ((first === 46 || first === 37) && s.length <= 6 && /^(\.|%2e){1,2}$/i.test(s)) return null;
    segments.push(s);
  }
  return segments;
}

export interface RoutableApi {
  context: string;
  version: string;
  isDefaultVersion: boolean;
}

interface ContextEntry<A> {
  versions: Map<string, A>;
  defaultVersion: A | null;
}

export interface ApiRouter<A> {
  contexts: Map<string, ContextEntry<A>>;
  maxDepth: number;
}

export function buildApiRouter<A extends RoutableApi>(apis: A[]): ApiRouter<A> {
  const contexts = new Map<string, ContextEntry<A>>();
  let maxDepth = 0;
  for (const api of apis) {
    const segments = splitPath(api.context) ?? [];
    const key = segments.join("/");
    maxDepth = Math.max(maxDepth, segments.length);
    const entry = contexts.get(key) ?? { versions: new Map(), defaultVersion: null };
    entry.versions.set(api.version, api);
    if (api.isDefaultVersion) entry.defaultVersion = api;
    contexts.set(key, entry);
  }
  return { contexts, maxDepth };
}

export interface ApiMatch<A> {
  api: A;
  /** Segments after the context and version: what the operation template is matched against. */
  rest: string[];
}

/**
 * The longest context wins; after it, a segment naming a version selects that version,
 * anything else goes to the default version (so `/pets/v2/…` is v2 even when the default
 * version has a `/v2` resource).
 */
export function matchApi<A>(router: ApiRouter<A>, segments: string[]): ApiMatch<A> | null {
  for (let depth = Math.min(router.maxDepth, segments.length); depth >= 1; depth--) {
    const entry = router.contexts.get(depth === segments.length ? segments.join("/") : segments.slice(0, depth).join("/"));
    if (!entry) continue;
    const named = depth < segments.length ? entry.versions.get(segments[depth]) : undefined;
    if (named) return { api: named, rest: segments.slice(depth + 1) };
    if (entry.defaultVersion) return { api: entry.defaultVersion, rest: segments.slice(depth) };
  }
  return null;
}

export interface RoutableOperation {
  method: string;
  path: string;
}

export interface OperationRouter<O> {
  /** Most specific first, across methods, so that a 405 can list the methods of the best path. */
  entries: { operation: O; method: string; template: TemplateSegment[] }[];
}

export function buildOperationRouter<O extends RoutableOperation>(operations: O[]): OperationRouter<O> {
  const entries = operations.map((operation) => ({ operation, method: operation.method, template: parseTemplate(operation.path) }));
  entries.sort((a, b) => compareTemplates(a.template, b.template));
  return { entries };
}

export type OperationMatch<O> = { operation: O } | { allowed: string[] } | null;

/**
 * The most specific template with this method; HEAD falls back to GET. When templates match but
 * none for this method, returns the methods allowed (for 405); null when no template matches.
 */
export function matchOperation<O>(router: OperationRouter<O>, method: string, rest: string[]): OperationMatch<O> {
  let fallback: O | null = null;
  let allowed: string[] | null = null;
  for (const entry of router.entries) {
    if (!matchTemplate(entry.template, rest)) continue;
    if (entry.method === method) return { operation: entry.operation };
    if (method === "HEAD" && entry.method === "GET" && !fallback) fallback = entry.operation;
    (allowed ??= []).push(entry.method);
  }
  if (fallback) return { operation: fallback };
  return allowed ? { allowed: [...new Set(allowed)] } : null;
}
