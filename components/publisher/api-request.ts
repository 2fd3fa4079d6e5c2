"use client";

import type { DefinitionError } from "@/lib/domain/openapi/types";
import type { FieldErrors } from "@/lib/errors";

/** A problem+json answer of the management API, as the forms need it. */
export class ApiProblem extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly errors: DefinitionError[] = [],
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message);
  }
}

/**
 * Calls /api/v1 from a page with the session cookie (same origin). Used where a body can be
 * larger than a server action accepts: document uploads and edits.
 */
export async function apiRequest<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: "same-origin", headers: { accept: "application/json", ...init.headers } });
  } catch {
    throw new ApiProblem("The server could not be reached. Check your connection and try again.", "network_error", 0);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const problem = (body ?? {}) as { detail?: string; code?: string; errors?: Array<{ path: string; message: string; line?: number }> };
    // Both codes list places in the document, not form fields.
    const aboutDocument = problem.code === "invalid_definition" || problem.code === "definition_too_complex";
    const errors = aboutDocument ? (problem.errors ?? []) : [];
    const fieldErrors: FieldErrors = {};
    if (!aboutDocument) for (const e of problem.errors ?? []) fieldErrors[e.path] = e.message;
    throw new ApiProblem(
      problem.detail ?? `The request failed (${response.status}).`,
      problem.code ?? "error",
      response.status,
      errors,
      fieldErrors,
    );
  }
  return body as T;
}
