/** Pure helpers of the Try it console: URLs from path templates, and the equivalent curl line. */

export { buildUrl, pathParamNames } from "@/lib/domain/try-it/target";

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
