import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function sameHost(origin: string, req: Request): boolean {
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * A cookie-authenticated request that changes something must show that it comes from our own
 * pages: browsers send `Origin` on every such fetch and `Sec-Fetch-Site` on every request. A
 * foreign origin or site is refused, and so is a request with neither header, since nothing
 * then tells a forged request from ours (a bearer token needs no such proof: no browser adds it).
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers.get("sec-fetch-site");
  const origin = req.headers.get("origin");
  if (site && site !== "same-origin") throw new AppError("cross_site_request", "Cross-site requests are refused.");
  if (origin && !sameHost(origin, req)) throw new AppError("cross_site_request", "Cross-site requests are refused.");
  if (!origin && site !== "same-origin") {
    throw new AppError(
      "cross_site_request",
      "A request signed in with the session cookie must carry Origin or Sec-Fetch-Site: same-origin; scripts use a bearer token.",
    );
  }
}
