import { oauthSchemeNames, requirementScopes } from "./scopes";
import { HTTP_METHODS, isObject, type HttpMethod, type JsonObject } from "./types";

/** Meridian's own security choice for an API or an operation. */
export const SECURITY_SCHEMES = ["oauth2", "apiKey", "none"] as const;
export type SecurityScheme = (typeof SECURITY_SCHEMES)[number];

export const RATE_LIMIT_UNITS = ["second", "minute", "hour", "day"] as const;
export type RateLimitUnit = (typeof RATE_LIMIT_UNITS)[number];

export interface RateLimit {
  requests: number;
  unit: RateLimitUnit;
  burst: number;
}

/** One operation of an API, as listed and governed by Meridian. */
export interface ApiOperation {
  method: HttpMethod;
  path: string;
  operationId: string | null;
  summary: string | null;
  tags: string[];
  deprecated: boolean;
  /** Names of the security schemes the document requires (informative). */
  documentSecurity: string[];
  /** Meridian's override of the API's security for this operation; null follows the API. */
  security: SecurityScheme | null;
  /** Meridian's rate limit for this operation; null follows the API. */
  rateLimit: RateLimit | null;
  /**
   * OAuth2 scopes the document's security requirements ask for (`security: [{ oauth2: [read:pets] }]`).
   * Absent from operations stored before scopes existed: read it as [].
   */
  documentScopes?: string[];
  /** The publisher's scopes for this operation, all required of a token; null (or absent) follows the document. */
  scopes?: string[] | null;
}

export function operationKey(op: { method: string; path: string }): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

function securityNames(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const names = new Set<string>();
  for (const requirement of value) if (isObject(requirement)) for (const name of Object.keys(requirement)) names.add(name);
  return [...names];
}

/**
 * Lists the operations of a 3.x document in document order. Overrides that Meridian keeps per
 * operation (security, rate limit, scopes) are carried over from `previous` by method and path, so that
 * editing the document does not lose them.
 */
export function extractOperations(document: JsonObject, previous: ReadonlyArray<ApiOperation> = []): ApiOperation[] {
  const carried = new Map(previous.map((op) => [operationKey(op), op]));
  const rootSecurity = securityNames(document.security) ?? [];
  const oauthSchemes = oauthSchemeNames(document);
  const rootScopes = requirementScopes(document.security, oauthSchemes) ?? [];
  const out: ApiOperation[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const before = carried.get(operationKey({ method, path }));
      out.push({
        method,
        path,
        operationId: typeof op.operationId === "string" ? op.operationId : null,
        summary: typeof op.summary === "string" ? op.summary.slice(0, 300) : null,
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === "string").slice(0, 20) : [],
        deprecated: op.deprecated === true,
        documentSecurity: securityNames(op.security) ?? rootSecurity,
        security: before?.security ?? null,
        rateLimit: before?.rateLimit ?? null,
        documentScopes: op.security === undefined ? rootScopes : (requirementScopes(op.security, oauthSchemes) ?? []),
        scopes: before?.scopes ?? null,
      });
    }
  }
  return out;
}

export function webhookCount(document: JsonObject): number {
  return isObject(document.webhooks) ? Object.keys(document.webhooks).length : 0;
}
