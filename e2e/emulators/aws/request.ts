import { badRequest } from "./errors";
import type { EmulatorState } from "./store";

/** One management call, parsed: what every route handler gets. */
export interface ApiRequest {
  state: EmulatorState;
  method: string;
  /** Path segments, percent-decoded: ["restapis", "abc", "stages", "meridian"]. */
  segments: string[];
  query: Map<string, string[]>;
  body: Buffer;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  /** A raw body (exports) instead of JSON. */
  raw?: { contentType: string; data: string; headers?: Record<string, string> };
}

export const ok = (body: unknown, status = 200): ApiResponse => ({ status, body });
export const accepted = (): ApiResponse => ({ status: 202 });

export function queryOf(rawQuery: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
    query.set(key, [...(query.get(key) ?? []), value]);
  }
  return query;
}

export const param = (req: ApiRequest, name: string): string | undefined => req.query.get(name)?.[0];

export function jsonBody(req: ApiRequest): Record<string, unknown> {
  if (!req.body.length) return {};
  try {
    const value = JSON.parse(req.body.toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  throw badRequest("Could not parse request body into json: the body is not a JSON object.");
}

export interface PatchOp {
  op: string;
  path: string;
  value?: string;
  from?: string;
}

export function patchOps(req: ApiRequest): PatchOp[] {
  const ops = jsonBody(req).patchOperations;
  if (!Array.isArray(ops)) return [];
  return ops.map((o) => {
    const op = o as Record<string, unknown>;
    if (typeof op.op !== "string" || !["add", "remove", "replace", "move", "copy", "test"].includes(op.op)) {
      throw badRequest(
        "1 validation error detected: Value at 'patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
      );
    }
    if (typeof op.path !== "string") throw badRequest("Invalid patch operation: path is required.");
    return { op: op.op, path: op.path, ...(op.value !== undefined ? { value: String(op.value) } : {}) };
  });
}

const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 25;

/** API Gateway's paging: `limit` (1–500, 25 by default) and an opaque `position`; items in `item`. */
export function paginate<T>(req: ApiRequest, items: T[]): { item: T[]; position?: string } {
  const rawLimit = param(req, "limit");
  const limit = rawLimit === undefined ? DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw badRequest(
      `1 validation error detected: Value '${rawLimit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIMIT}`,
    );
  }
  const position = param(req, "position");
  let offset = 0;
  if (position) {
    const decoded = Number(Buffer.from(position, "base64url").toString("utf8").replace(/^o:/, ""));
    if (!Number.isInteger(decoded) || decoded < 0 || !Buffer.from(position, "base64url").toString("utf8").startsWith("o:"))
      throw badRequest("Invalid position parameter");
    offset = decoded;
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`o:${offset + limit}`).toString("base64url") : undefined;
  return { item: page, ...(next ? { position: next } : {}) };
}

/** Tags as API Gateway accepts them: at most 50, keys up to 128 characters, values up to 256. */
export function validTags(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!value || typeof value !== "object" || Array.isArray(value)) throw badRequest("Invalid tags: expected a map of strings.");
  const tags = Object.entries(value as Record<string, unknown>);
  if (tags.length > 50) throw badRequest("Too many tags: at most 50 are allowed.");
  for (const [k, v] of tags) {
    if (typeof v !== "string" || !k || k.length > 128 || v.length > 256 || k.startsWith("aws:"))
      throw badRequest(`Invalid tag ${k}: keys are 1–128 characters not starting with aws:, values at most 256 characters.`);
  }
  return Object.fromEntries(tags) as Record<string, string>;
}
