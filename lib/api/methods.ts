import { AppError } from "@/lib/errors";
import { problemResponse } from "./problem";

/**
 * HTTP methods a route does not implement. Next.js answers them with a bare 405 and no `Allow`
 * header, and its automatic OPTIONS would list every exported method, these included: so each
 * /api/v1 route exports them from here, as a problem+json 405 with `Allow`, and an OPTIONS that
 * lists only what the route really serves.
 *
 *   export const GET = apiHandler(…);
 *   export const { HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
 *
 * HEAD belongs to GET (Next.js answers it with the GET handler) and is not listed then.
 */
export const ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export type RouteMethod = (typeof ROUTE_METHODS)[number];
export type ImplementedMethod = Exclude<RouteMethod, "HEAD" | "OPTIONS">;
type OtherMethodHandler = (req: Request) => Response;

const handlers = new WeakSet<OtherMethodHandler>();

/** The `Allow` header of a route implementing these methods, sorted as Next.js sorts it. */
export function allowHeader(implemented: readonly ImplementedMethod[]): string {
  const allowed = new Set<string>([...implemented, "OPTIONS"]);
  if (allowed.has("GET")) allowed.add("HEAD");
  return [...allowed].sort().join(", ");
}

export function otherMethods<const A extends ImplementedMethod>(
  ...implemented: A[]
): Record<Exclude<RouteMethod, A | (A extends "GET" ? "HEAD" : never)>, OtherMethodHandler> {
  const allow = allowHeader(implemented);
  const out: Partial<Record<RouteMethod, OtherMethodHandler>> = {};
  for (const method of ROUTE_METHODS) {
    if ((implemented as string[]).includes(method) || (method === "HEAD" && (implemented as string[]).includes("GET"))) continue;
    const handler: OtherMethodHandler =
      method === "OPTIONS"
        ? () => new Response(null, { status: 204, headers: { allow } })
        : (req) =>
            problemResponse(
              new AppError(
                "method_not_allowed",
                `${method} is not supported on ${readSafely(() => new URL(req.url).pathname) ?? "this route"}; it allows ${allow}.`,
                {
                  extra: { allow: allow.split(", ") },
                },
              ),
              readSafely(() => req.headers.get("x-request-id")?.slice(0, 64)) || undefined,
              { allow },
            );
    handlers.add(handler);
    out[method] = handler;
  }
  return out as Record<Exclude<RouteMethod, A | (A extends "GET" ? "HEAD" : never)>, OtherMethodHandler>;
}

/**
 * A property of the request, or undefined when it cannot be read: on a `force-static` route
 * Next.js hands the handler a proxy of the request, and Node.js 24's Request keeps its state in
 * private fields, which a proxy cannot reach (a TypeError that would turn the 405 into a 500).
 */
function readSafely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Whether a route export came from otherMethods (the route does not implement that method). */
export function isOtherMethodHandler(value: unknown): boolean {
  return typeof value === "function" && handlers.has(value as OtherMethodHandler);
}
