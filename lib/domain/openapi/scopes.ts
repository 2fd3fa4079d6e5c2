import { isObject, type JsonObject } from "./types";

/**
 * OAuth2 scopes of operations. An operation's scopes are all required: a token must carry every
 * one of them (as in OpenAPI, where the scopes of one security requirement are all needed). They
 * apply to operations secured with OAuth2 only; API keys carry no scopes.
 */

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
export const MAX_SCOPE_LENGTH = 100;
export const MAX_OPERATION_SCOPES = 20;

export function isScopeToken(value: string): boolean {
  return value.length <= MAX_SCOPE_LENGTH && SCOPE_TOKEN.test(value);
}

/** A `scope` parameter or claim: scope tokens separated by single spaces; null when malformed. */
export function parseScopeParameter(value: string | undefined | null): string[] | null {
  if (value === undefined || value === null) return [];
  const trimmed = value.trim();
  if (trimmed === "") return [];
  const tokens = trimmed.split(" ");
  if (!tokens.every(isScopeToken)) return null;
  return [...new Set(tokens)];
}

/** Sorted and without duplicates, so that equal sets compare and render equally. */
export function normalizeScopes(scopes: Iterable<string>): string[] {
  return [...new Set(scopes)].sort();
}

const OAUTH_SCHEME_TYPES = new Set(["oauth2", "openIdConnect"]);

/** Names of the document's OAuth2 and OpenID Connect security schemes (3.x components). */
export function oauthSchemeNames(document: JsonObject): Set<string> {
  const schemes = isObject(document.components) && isObject(document.components.securitySchemes) ? document.components.securitySchemes : {};
  const names = new Set<string>();
  for (const [name, scheme] of Object.entries(schemes))
    if (isObject(scheme) && typeof scheme.type === "string" && OAUTH_SCHEME_TYPES.has(scheme.type)) names.add(name);
  return names;
}

/**
 * The scopes a security requirement list asks of an OAuth2 token: for `[{ oauth2: [read:pets] }]`,
 * `read:pets`. The requirements of a list are alternatives; the scopes of one requirement are all
 * needed. With several OAuth2 alternatives, only the scopes that every one of them asks for are
 * taken, so that no token the document accepts is refused (a publisher can require more).
 * Undefined when the list names no OAuth2 scheme.
 */
export function requirementScopes(security: unknown, oauthSchemes: Set<string>): string[] | undefined {
  if (!Array.isArray(security)) return undefined;
  let common: Set<string> | undefined;
  for (const requirement of security) {
    if (!isObject(requirement)) continue;
    const scopes = new Set<string>();
    let oauth = false;
    for (const [name, values] of Object.entries(requirement)) {
      if (!oauthSchemes.has(name)) continue;
      oauth = true;
      if (Array.isArray(values)) for (const v of values) if (typeof v === "string" && isScopeToken(v)) scopes.add(v);
    }
    if (!oauth) continue;
    common = common ? new Set([...common].filter((s) => scopes.has(s))) : scopes;
  }
  return common ? normalizeScopes(common).slice(0, MAX_OPERATION_SCOPES) : undefined;
}

/** What the publisher decided for an operation's scopes; null follows the document. */
export interface OperationScopeSettings {
  documentScopes: string[];
  scopes: string[] | null;
}

export function effectiveScopes(op: OperationScopeSettings): string[] {
  return op.scopes ?? op.documentScopes;
}

/**
 * The scopes a request asks for that none of the allowed ones covers. RFC 6749 §3.3 lets the
 * server refuse or narrow; Meridian refuses (`invalid_scope`), so that a client learns at once
 * which scope its subscriptions do not give it rather than at its first 403.
 */
export function ungrantableScopes(requested: string[], allowed: Iterable<string>): string[] {
  const set = new Set(allowed);
  return requested.filter((s) => !set.has(s));
}

/** The part of a revision's settings that decides an operation's scopes. */
export interface ScopeSettings {
  security: { scheme: string };
  operationPolicies: Record<string, { security: string | null; scopes?: string[] }>;
}

/**
 * The scopes a gateway must require for one operation ("METHOD /path") of a revision: those the
 * revision recorded, when the operation is secured with OAuth2; none otherwise.
 */
export function enforcedScopes(settings: ScopeSettings, key: string): string[] {
  const policy = settings.operationPolicies[key];
  if (!policy?.scopes?.length) return [];
  const scheme = policy.security ?? settings.security.scheme;
  return scheme === "oauth2" ? policy.scopes : [];
}
