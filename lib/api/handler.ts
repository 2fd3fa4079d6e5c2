import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { can, type Permission } from "@/lib/auth/permissions";
import { checkDocumentBounds } from "@/lib/domain/openapi/bounds";
import { getSessionActor } from "@/lib/auth/session";
import { clientIp } from "@/lib/auth/client-ip";
import { AppError } from "@/lib/errors";
import type { Actor, ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { verifyToken } from "@/lib/services/tokens/verify-token";
import { problemResponse } from "./problem";
import { assertSameOrigin } from "./same-origin";
import {
  assertStorableText,
  assertUtf8Charset,
  decodeUtf8,
  isJsonMediaType,
  mediaTypeOf,
  queryParameters,
  textProblem,
  unsupportedMediaType,
} from "./request-text";

export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** Management bodies are a few levels deep; a deeper one would only feed recursive walks (validation, storage). */
export const MAX_JSON_BODY_DEPTH = 64;

type Params = Record<string, string | string[] | undefined>;

export interface HandlerArgs<P extends Params> {
  req: Request;
  ctx: ServiceContext;
  actor: Actor | null;
  params: P;
  requestId: string;
}

interface HandlerOptions {
  /** "user": a signed-in user or a bearer token is required; "optional": anonymous allowed. */
  auth?: "user" | "optional";
  permission?: Permission;
}

async function resolveActor(req: Request): Promise<Actor | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AppError("invalid_token", "Use Authorization: Bearer <token>.");
    return verifyToken(match[1]);
  }
  const actor = await getSessionActor();
  if (actor) assertSameOrigin(req);
  return actor;
}

/** Wraps every /api/v1 route handler: request id, authentication, permission, problem+json. */
export function apiHandler<P extends Params = Params>(options: HandlerOptions, fn: (args: HandlerArgs<P>) => Promise<Response | unknown>) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = req.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
    try {
      const actor = await resolveActor(req);
      if ((options.auth ?? "user") === "user" && !actor)
        throw new AppError("unauthenticated", "Authentication required: sign in or send a bearer token.");
      if (options.permission && !can(actor?.roles, options.permission)) {
        throw actor
          ? new AppError("forbidden", "Your role does not allow this.")
          : new AppError("unauthenticated", "Authentication required.");
      }
      const ctx: ServiceContext = { actor, requestId, ip: clientIp(req.headers) };
      const params = (await context.params) ?? ({} as P);
      assertStorableParams(params);
      const result = await fn({ req, ctx, actor, params, requestId });
      if (result instanceof Response) {
        result.headers.set("x-request-id", requestId);
        return result;
      }
      return Response.json(result ?? null, { headers: { "x-request-id": requestId, "cache-control": "no-store" } });
    } catch (error) {
      return problemResponse(error, requestId);
    }
  };
}

const JSON_TYPES = ["application/json"];

/**
 * Reads a JSON body with a size bound and validates it. The body must be declared as JSON
 * (application/json or a +json type; 415 otherwise, which also keeps HTML forms out), be
 * UTF-8, and hold no text PostgreSQL cannot store (400 naming the field).
 */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, options: { maxBytes?: number } = {}): Promise<z.output<S>> {
  const maxBytes = options.maxBytes ?? MAX_JSON_BODY_BYTES;
  const length = Number(req.headers.get("content-length") || 0);
  if (length > maxBytes) throw new AppError("payload_too_large", "The request body is too large.");
  const mediaType = mediaTypeOf(req.headers.get("content-type"));
  if (mediaType && !isJsonMediaType(mediaType.type)) throw unsupportedMediaType(JSON_TYPES);
  assertUtf8Charset(mediaType?.charset, JSON_TYPES);
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new AppError("payload_too_large", "The request body is too large.");
  if (!bytes.byteLength) return parseInput(schema, {});
  if (!mediaType) throw unsupportedMediaType(JSON_TYPES);
  const text = decodeUtf8(bytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
  if (checkDocumentBounds(body, { maxDepth: MAX_JSON_BODY_DEPTH, maxNodes: Number.MAX_SAFE_INTEGER })) {
    throw new AppError("bad_request", `The request body is nested more than ${MAX_JSON_BODY_DEPTH} levels deep.`);
  }
  assertStorableText(body);
  return parseInput(schema, body);
}

export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return parseInput(schema, queryParameters(new URL(req.url)));
}

/** Path parameters arrive percent-decoded: a NUL or a lone surrogate in them never reaches a query. */
function assertStorableParams(params: Params): void {
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const problem = typeof item === "string" ? textProblem(item) : undefined;
      if (problem) throw new AppError("bad_request", `The path parameter ${name} is not valid: ${problem}`);
    }
  }
}

export function created(body: unknown, location?: string): Response {
  return Response.json(body, { status: 201, headers: location ? { location } : undefined });
}
