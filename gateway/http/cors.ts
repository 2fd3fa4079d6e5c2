import type { IncomingHttpHeaders } from "node:http";
import type { Cors } from "@/lib/domain/gateway/snapshot";

/**
 * CORS per API. The gateway answers preflights itself (before authentication: browsers send no
 * credentials on them) and adds the CORS headers to every response of an allowed origin,
 * errors included, so that a browser can read a 401 or a 429.
 */

/** Gateway headers a browser script may read. */
const EXPOSED = "ratelimit-limit, ratelimit-remaining, ratelimit-reset, ratelimit-policy, retry-after";

function allowedOrigin(cors: Cors, origin: string): string | null {
  if (cors.origins.includes(origin)) return origin;
  if (!cors.origins.includes("*")) return null;
  // `*` is not allowed with credentials: the origin is echoed instead.
  return cors.credentials ? origin : "*";
}

export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return method === "OPTIONS" && typeof headers.origin === "string" && headers["access-control-request-method"] !== undefined;
}

/** Headers of a preflight answer; without CORS headers when the origin is not allowed. */
export function preflightHeaders(cors: Cors, headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = { vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" };
  const origin = allowedOrigin(cors, headers.origin ?? "");
  if (!origin) return out;
  out["access-control-allow-origin"] = origin;
  out["access-control-allow-methods"] = cors.methods.join(", ");
  if (cors.headers.length) out["access-control-allow-headers"] = cors.headers.join(", ");
  if (cors.credentials) out["access-control-allow-credentials"] = "true";
  out["access-control-max-age"] = String(cors.maxAge);
  return out;
}

/** Headers added to an actual response; empty when CORS does not apply. */
export function responseCorsHeaders(cors: Cors | undefined, origin: string | undefined): Record<string, string> | null {
  if (!cors?.enabled || !origin) return null;
  const allowed = allowedOrigin(cors, origin);
  if (!allowed) return { vary: "Origin" };
  const out: Record<string, string> = { "access-control-allow-origin": allowed, "access-control-expose-headers": EXPOSED, vary: "Origin" };
  if (cors.credentials) out["access-control-allow-credentials"] = "true";
  return out;
}
