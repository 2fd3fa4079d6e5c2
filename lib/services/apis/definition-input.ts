import { AppError } from "@/lib/errors";
import type { ApiOperation } from "@/lib/domain/openapi/operations";
import { checkDocumentBounds, type BoundsViolation } from "@/lib/domain/openapi/bounds";
import { prepareDefinition, type PreparedDefinition } from "@/lib/domain/openapi/prepare";
import type { DefinitionError } from "@/lib/domain/openapi/types";
import { safeFetch } from "@/lib/services/net/safe-fetch";
import { DEFINITION_FETCH_TIMEOUT_MS, definitionBounds, maxDefinitionBytes } from "./limits";

export function tooLargeError(limit = maxDefinitionBytes()): AppError {
  return new AppError("payload_too_large", `The document is larger than the limit of ${formatBytes(limit)}.`, {
    extra: { limitBytes: limit },
  });
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** A document refused for its shape: 400 definition_too_complex, naming the bound and where it was crossed. */
export function tooComplexError(limit: BoundsViolation): AppError {
  const variable = limit.limit === "depth" ? "MERIDIAN_MAX_DEFINITION_DEPTH" : "MERIDIAN_MAX_DEFINITION_NODES";
  return new AppError(
    "definition_too_complex",
    `${limit.message.replace(/\.$/, "")}${limit.path ? ` (at ${limit.path.slice(0, 200)}${limit.path.length > 200 ? "…" : ""})` : ""}.`,
    {
      extra: { limit: limit.limit, max: limit.max, setting: variable, errors: [{ path: limit.path, message: limit.message }] },
    },
  );
}

export function invalidDefinitionError(errors: DefinitionError[]): AppError {
  const first = errors[0];
  // As a person reads it: "(at paths › /pets › get › responses, line 12)".
  const at = [first?.place ? `at ${first.place}` : null, first?.line ? `line ${first.line}` : null].filter(Boolean).join(", ");
  const where = at ? ` (${at})` : "";
  const more = errors.length > 1 ? ` and ${errors.length - 1} more problem${errors.length > 2 ? "s" : ""}` : "";
  return new AppError("invalid_definition", `The OpenAPI document is not valid: ${first?.message ?? "unknown problem"}${where}${more}.`, {
    extra: { errors },
  });
}

/** The document as text: given as text, as a JSON object, or fetched from a URL (server-side, guarded). */
export async function definitionText(input: {
  definition?: string | Record<string, unknown>;
  definitionUrl?: string;
}): Promise<string | undefined> {
  const limit = maxDefinitionBytes();
  if (typeof input.definition === "string") {
    if (Buffer.byteLength(input.definition) > limit) throw tooLargeError(limit);
    return input.definition;
  }
  if (input.definition) {
    // Written out as text below: a document too deep to stringify is refused first.
    const shape = checkDocumentBounds(input.definition, definitionBounds());
    if (shape) throw tooComplexError(shape);
    const text = JSON.stringify(input.definition, null, 2);
    if (Buffer.byteLength(text) > limit) throw tooLargeError(limit);
    return text;
  }
  if (input.definitionUrl) {
    const fetched = await safeFetch(input.definitionUrl, {
      maxBytes: limit,
      timeoutMs: DEFINITION_FETCH_TIMEOUT_MS,
      headers: { accept: "application/json, application/yaml, text/yaml, */*" },
    }).catch((error) => {
      if (error instanceof AppError && error.code === "payload_too_large") throw tooLargeError(limit);
      if (error instanceof AppError) throw new AppError(error.code, error.message, { fieldErrors: { definitionUrl: error.message } });
      throw error;
    });
    return fetched.body.toString("utf8");
  }
  return undefined;
}

/** Runs the import pipeline; an invalid document becomes a 400 invalid_definition with its errors. */
export async function prepareOrThrow(text: string, previousOperations: ReadonlyArray<ApiOperation> = []): Promise<PreparedDefinition> {
  if (Buffer.byteLength(text) > maxDefinitionBytes()) throw tooLargeError();
  const result = await prepareDefinition(text, previousOperations, definitionBounds());
  if (!result.ok) throw result.limit ? tooComplexError(result.limit) : invalidDefinitionError(result.errors);
  return result;
}
