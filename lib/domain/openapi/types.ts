/** Shapes shared by the OpenAPI import pipeline. Pure: no I/O, importable anywhere. */
export type JsonObject = Record<string, unknown>;

export type SourceFormat = "json" | "yaml";

/** The specification a document was written in, before normalization. */
export type SpecVersion = "swagger-2.0" | "openapi-3.0" | "openapi-3.1";

/**
 * One problem in a document: a JSON pointer into it (`/paths/~1pets/get`), the same place as a
 * person reads it (`paths › /pets › get`), and, where known, the line (and column) in its text.
 */
export interface DefinitionError {
  path: string;
  message: string;
  place?: string;
  line?: number;
  column?: number;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
