/**
 * Where a Try it request may go. The developer portal sends Try it through its own server, so
 * that it works whatever CORS the publisher chose for other origins; that server must not
 * become an open proxy. So the caller never names a URL: it names one of the API's gateway
 * base URLs (as the catalog lists them to that caller) and one of the API's operations, and the
 * URL is built here from those, with the path parameters encoded so they cannot leave the
 * operation's path. Pure: shared by the console (curl line) and the server.
 */

export function pathParamNames(template: string): string[] {
  return [...template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
}

/** `{base}{path}` with the path parameters filled in (encoded) and the query string appended. */
export function buildUrl(base: string, template: string, params: Record<string, string>, query: string): string {
  const path = template.replace(/\{([^{}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));
  const q = query
    .trim()
    .replace(/^[?#]+/, "")
    .replace(/#/g, "%23");
  return `${base.replace(/\/+$/, "")}${path}${q ? `?${q}` : ""}`;
}

export interface TryItTargetInput {
  base: string;
  method: string;
  path: string;
  params: Record<string, string>;
  query: string;
}

export type TryItTarget = { ok: true; url: URL; method: string } | { ok: false; message: string };

/** The URL of a Try it request, or why it is refused. `bases` and `operations` are the API's, as the caller may see them. */
export function resolveTryItTarget(
  bases: readonly string[],
  operations: readonly { method: string; path: string }[],
  input: TryItTargetInput,
): TryItTarget {
  if (!bases.includes(input.base)) return { ok: false, message: "This gateway does not serve the API (any more). Reload the page." };
  const method = input.method.toUpperCase();
  const operation = operations.find((op) => op.method.toUpperCase() === method && op.path === input.path);
  if (!operation) return { ok: false, message: `${method} ${input.path} is not an operation of this API.` };
  const missing = pathParamNames(operation.path).filter((n) => !input.params[n]?.trim());
  if (missing.length) return { ok: false, message: `Fill in the path parameter${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.` };
  let base: URL;
  let url: URL;
  try {
    base = new URL(input.base);
    url = new URL(buildUrl(input.base, operation.path, input.params, input.query));
  } catch {
    return { ok: false, message: "The request URL is not valid." };
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") return { ok: false, message: "Only http and https gateways can be called." };
  // Belt and braces: whatever the parameters hold, the request stays on the gateway and under the API's base path.
  const basePath = base.pathname.replace(/\/+$/, "");
  if (
    url.origin !== base.origin ||
    url.username ||
    url.password ||
    !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))
  ) {
    return { ok: false, message: "The request would leave the API's gateway URL." };
  }
  return { ok: true, url, method };
}

/** Request headers Try it passes on: the credential and the body's type, nothing of the portal's own (cookies never). */
export function tryItHeaders(headers: ReadonlyArray<readonly [string, string]>, apiKeyHeader: string): Array<[string, string]> {
  const allowed = new Set(["authorization", "content-type", "accept", "apikey", apiKeyHeader.toLowerCase()]);
  return headers.filter(([name, value]) => allowed.has(name.toLowerCase()) && !/[\r\n]/.test(value)).map(([name, value]) => [name, value]);
}
