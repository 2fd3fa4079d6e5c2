import { config } from "@/lib/config";

/**
 * What the key manager publishes about itself. The issuer is Meridian's public URL (or
 * MERIDIAN_TOKEN_ISSUER), normalized as clients compare it: a client that discovers from that
 * URL finds exactly it in `issuer`. Only what Meridian does is advertised: the client
 * credentials grant, no authorization endpoint, hence no response type at all.
 */

const AUTH_METHODS = ["client_secret_basic", "client_secret_post"];

/** RFC 8414: `/.well-known/oauth-authorization-server`. */
export function authorizationServerMetadata(): Record<string, unknown> {
  const issuer = config.tokenIssuer;
  return {
    issuer,
    token_endpoint: `${issuer}/oauth2/token`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    grant_types_supported: ["client_credentials"],
    // No authorization endpoint: no response_type can be asked for (RFC 8414 §2 lists none then).
    response_types_supported: [],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
  };
}

/**
 * OpenID Connect Discovery 1.0: `/.well-known/openid-configuration`, read by gateways and tools
 * that only know this document (Azure's validate-jwt, Kong's jwt plugin). The members OpenID
 * Connect requires of a provider are present; Meridian issues access tokens only.
 */
export function openidConfiguration(): Record<string, unknown> {
  return {
    ...authorizationServerMetadata(),
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["ES256"],
  };
}

/**
 * RFC 8414 §3: for an issuer with a path (`https://example.com/meridian`) the document lives at
 * `/.well-known/oauth-authorization-server/meridian`. The path segments after the well-known
 * name, as a request gives them, must be the issuer's own.
 */
export function isIssuerPath(segments: string[]): boolean {
  const path = new URL(config.tokenIssuer).pathname.replace(/\/+$/, "");
  return segments.map((s) => `/${s}`).join("") === path;
}

export const METADATA_HEADERS = { "cache-control": "public, max-age=300" };
