/**
 * Where sign-in and sign-out send the browser. next-auth v4 builds its redirects on one base
 * URL (NEXTAUTH_URL), so a user at http://127.0.0.1:3000 was sent to http://localhost:3000 and
 * lost their session's cookies on the way. These rules keep the origin the user is on when the
 * server answers for it, and never send anyone to an origin it does not answer for (no open
 * redirect). Pure: no server-only imports.
 */

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * The origins the web app answers at: the configured public URLs, each origin listed in
 * `extra`, and, for a configured loopback URL, the other loopback names on that port (and on
 * the port the server listens on).
 */
export function answeredOrigins(configured: Array<string | undefined>, extra: string[], listenPort?: number): Set<string> {
  const out = new Set<string>();
  for (const url of [...configured, ...extra]) {
    const origin = url ? originOf(url.trim()) : null;
    if (!origin) continue;
    out.add(origin);
    const parsed = new URL(origin);
    if (!LOOPBACK.includes(parsed.hostname)) continue;
    const ports = new Set([parsed.port, listenPort ? String(listenPort) : parsed.port]);
    for (const host of LOOPBACK) for (const port of ports) out.add(`${parsed.protocol}//${host}${port ? `:${port}` : ""}`);
  }
  return out;
}

/** The origin a request was made to, from its Host (or a proxy's X-Forwarded-Host/-Proto); null when unreadable. */
export function requestOrigin(headers: { get(name: string): string | null }, fallbackProtocol: "http" | "https"): string | null {
  const host = (headers.get("x-forwarded-host") ?? headers.get("host") ?? "").split(",")[0].trim();
  if (!host) return null;
  const proto = (headers.get("x-forwarded-proto") ?? fallbackProtocol).split(",")[0].trim();
  return originOf(`${proto === "https" ? "https" : "http"}://${host}`);
}

/**
 * The redirect callback's rule: a path stays on the origin in use (when answered, else the
 * configured base URL); an absolute URL is kept only on an answered origin; anything else goes
 * to the root of the origin in use.
 */
export function authRedirect(url: string, options: { baseUrl: string; origin: string | null; answered: Set<string> }): string {
  const base = originOf(options.baseUrl) ?? options.baseUrl;
  const home = options.origin && options.answered.has(options.origin) ? options.origin : base;
  // "//host" and "/\host" are absolute URLs to browsers, not paths.
  if (url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")) return `${home}${url}`;
  const origin = originOf(url);
  if (origin && (origin === base || options.answered.has(origin))) return url;
  return home;
}
