import { isUnstorableText } from "@/lib/db/errors";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  errors?: Array<{ path: string; message: string }>;
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  504: "Gateway Timeout",
};

/** Builds an RFC 9457 problem document; unexpected errors are logged and answered generically. */
export function toProblem(error: unknown, requestId?: string): ProblemDocument {
  // Input is checked before it reaches the database; text that still slips through is the
  // caller's mistake, not ours.
  if (isUnstorableText(error))
    error = new AppError("bad_request", "Text may not contain NUL characters or byte sequences that are not UTF-8.");
  if (!isAppError(error)) {
    logger.error({ err: error, requestId }, "unexpected error");
    error = new AppError(
      "internal_error",
      `Something went wrong on our side. Quote request id ${requestId ?? "unknown"} when you report it.`,
    );
  }
  const e = error as AppError;
  const doc: ProblemDocument = {
    type: `https://meridian.dev/problems/${e.code.replace(/_/g, "-")}`,
    title: TITLES[e.status] ?? "Error",
    status: e.status,
    detail: e.message,
    code: e.code,
    requestId,
    ...(e.extra ?? {}),
  };
  if (e.fieldErrors) doc.errors = Object.entries(e.fieldErrors).map(([path, message]) => ({ path, message }));
  return doc;
}

export function problemResponse(error: unknown, requestId?: string, headers?: HeadersInit): Response {
  const doc = toProblem(error, requestId);
  const h = new Headers(headers);
  h.set("content-type", "application/problem+json");
  if (requestId) h.set("x-request-id", requestId);
  if (doc.status === 401 && !h.has("www-authenticate")) h.set("www-authenticate", 'Bearer realm="meridian"');
  return new Response(JSON.stringify(doc), { status: doc.status, headers: h });
}
