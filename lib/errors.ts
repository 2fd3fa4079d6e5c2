/**
 * One error class for expected failures. Its code is stable (clients branch on it) and its
 * message is safe to show; anything else that is thrown becomes a generic message.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  invalid_definition: 400,
  definition_too_complex: 400,
  unauthenticated: 401,
  invalid_token: 401,
  invalid_credentials: 401,
  forbidden: 403,
  signup_disabled: 403,
  user_disabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_attempts: 429,
  rate_limited: 429,
  cross_site_request: 403,
  internal_error: 500,
  not_implemented: 501,
  upstream_unavailable: 502,
  upstream_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fieldErrors?: FieldErrors;
  readonly extra?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fieldErrors?: FieldErrors; extra?: Record<string, unknown>; status?: number } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.fieldErrors = options.fieldErrors;
    this.extra = options.extra;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Turns a zod error into field errors keyed by dotted path. */
export function fieldErrorsFromZod(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

export function validationError(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): AppError {
  const fieldErrors = fieldErrorsFromZod(issues);
  const first = Object.entries(fieldErrors)[0];
  const message = first ? (first[0] === "_" ? first[1] : `${first[0]}: ${first[1]}`) : "The input is not valid.";
  return new AppError("validation_failed", message, { fieldErrors });
}
