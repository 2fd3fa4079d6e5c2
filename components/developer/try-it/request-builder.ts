/** Pure helpers of the Try it console: URLs from path templates, and the equivalent curl line. */

export function pathParamNames(template: string): string[] {
  return [...template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
}

/** `{base}{path}` with the path parameters filled in (encoded) and the query string appended. */
export function buildUrl(base: string, template: string, params: Record<string, string>, query: string): string {
  const path = template.replace(/\{([^{}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));
  const q = query.trim().replace(/^\?/, "");
  return `${base.replace(/\/+$/, "")}${path}${q ? `?${q}` : ""}`;
}

/** Quotes a word for a POSIX shell: everything between single quotes is literal. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function buildCurl(request: { method: string; url: string; headers: Array<[string, string]>; body?: string }): string {
  const parts = ["curl"];
  if (request.method !== "GET") parts.push("-X", request.method);
  parts.push(shellQuote(request.url));
  for (const [name, value] of request.headers) parts.push("-H", shellQuote(`${name}: ${value}`));
  if (request.body) parts.push("--data", shellQuote(request.body));
  return parts.join(" ");
}

/** The curl line that gets a token from the key manager with the client credentials grant. */
export function tokenCurl(tokenUrl: string, clientId: string, clientSecret: string): string {
  return ["curl", "-u", shellQuote(`${clientId}:${clientSecret}`), "-d", "grant_type=client_credentials", shellQuote(tokenUrl)].join(" ");
}

export const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether the API's CORS settings let this page's origin call it, and send this header. */
export function corsProblem(cors: { enabled: boolean; origins: string[]; headers: string[] }, origin: string, header: string | null): string | null {
  if (!cors.enabled) return "The publisher has not enabled CORS for this API, so browsers cannot call it from this page. Use the curl line instead.";
  const origins = cors.origins.length ? cors.origins : ["*"];
  if (!origins.includes("*") && !origins.includes(origin)) return `This API's CORS settings do not allow calls from ${origin}. Use the curl line instead.`;
  const allowed = (cors.headers.length ? cors.headers : ["authorization", "content-type", "apikey"]).map((h) => h.toLowerCase());
  if (header && !allowed.includes(header.toLowerCase())) return `This API's CORS settings do not allow the ${header} header from browsers. Use the curl line instead.`;
  return null;
}
