/**
 * Limits of the API design features, read from the environment on each call so that tests
 * and operators can change them without a rebuild.
 * - MERIDIAN_MAX_DEFINITION_BYTES: largest OpenAPI document accepted (default 10 MB).
 * - MERIDIAN_MAX_DEFINITION_DEPTH / MERIDIAN_MAX_DEFINITION_NODES: deepest nesting and most
 *   values of an accepted OpenAPI document (defaults 128 and 2,000,000).
 * - MERIDIAN_MAX_REVISIONS: revisions kept per API (default 10).
 */
import { DEFAULT_DOCUMENT_BOUNDS, type DocumentBounds } from "@/lib/domain/openapi/bounds";

export const DEFAULT_MAX_DEFINITION_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_REVISIONS = 10;

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function maxDefinitionBytes(): number {
  return positiveInt(process.env.MERIDIAN_MAX_DEFINITION_BYTES, DEFAULT_MAX_DEFINITION_BYTES);
}

export function definitionBounds(): DocumentBounds {
  return {
    maxDepth: positiveInt(process.env.MERIDIAN_MAX_DEFINITION_DEPTH, DEFAULT_DOCUMENT_BOUNDS.maxDepth),
    maxNodes: positiveInt(process.env.MERIDIAN_MAX_DEFINITION_NODES, DEFAULT_DOCUMENT_BOUNDS.maxNodes),
  };
}

export function maxRevisions(): number {
  return positiveInt(process.env.MERIDIAN_MAX_REVISIONS, DEFAULT_MAX_REVISIONS);
}

/** Time allowed to fetch a definition from a URL. */
export const DEFINITION_FETCH_TIMEOUT_MS = 15_000;
