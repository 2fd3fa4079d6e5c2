import type { ConnectionTestResult } from "./types";

/** A failed connection test, on one field when the cause points at it. */
export function failure(field: string | undefined, message: string): ConnectionTestResult {
  return { ok: false, message, ...(field ? { fieldErrors: { [field]: message } } : {}) };
}
