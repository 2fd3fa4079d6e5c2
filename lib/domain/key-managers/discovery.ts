import { z } from "zod";

/**
 * The checks Meridian makes on an OpenID provider's discovery document (OpenID Connect
 * Discovery 1.0 §3 and §4.3, RFC 8414) and on its JWKS before trusting it as a key manager.
 * Pure, so that the control plane and tests share them.
 */

const httpUrl = z.url({ protocol: /^https?$/ });

export interface ProviderMetadata {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  registrationEndpoint: string | null;
}

export type DiscoveryCheck = { ok: true; metadata: ProviderMetadata } | { ok: false; message: string };

/** Where the discovery document of an issuer lives: the issuer plus the well-known path (§4). */
export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

const documentSchema = z.looseObject({
  issuer: z.string(),
  jwks_uri: httpUrl.optional(),
  token_endpoint: httpUrl.optional(),
  registration_endpoint: httpUrl.optional(),
});

export function checkDiscoveryDocument(issuer: string, document: unknown): DiscoveryCheck {
  const parsed = documentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `The discovery document is not valid: ${issue.path.join(".") || "document"}: ${issue.message}` };
  }
  const doc = parsed.data;
  // §4.3: the issuer in the document must be identical to the one it was fetched for.
  if (doc.issuer !== issuer) {
    return { ok: false, message: `The discovery document names the issuer ${doc.issuer}, not ${issuer}: it is inconsistent.` };
  }
  if (!doc.jwks_uri) return { ok: false, message: "The discovery document has no jwks_uri: tokens could not be verified." };
  if (!doc.token_endpoint) return { ok: false, message: "The discovery document has no token_endpoint: clients could not get tokens." };
  return {
    ok: true,
    metadata: {
      issuer: doc.issuer,
      jwksUri: doc.jwks_uri,
      tokenEndpoint: doc.token_endpoint,
      registrationEndpoint: doc.registration_endpoint ?? null,
    },
  };
}

/** Algorithms every gateway verifies (the built-in gateway, HAProxy's jwt_verify, Azure, AWS). */
export const VERIFIABLE_ALGORITHMS = ["RS256", "ES256"] as const;

/** A JWKS must hold at least one public signing key of an algorithm the gateways verify. */
export function checkJwks(jwks: unknown): { ok: true; keys: number } | { ok: false; message: string } {
  const keys = (jwks as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) return { ok: false, message: "The JWKS has no keys array." };
  const usable = keys.filter((k): k is Record<string, unknown> => {
    if (!k || typeof k !== "object") return false;
    const key = k as Record<string, unknown>;
    if (key.use !== undefined && key.use !== "sig") return false;
    if (key.alg !== undefined) return (VERIFIABLE_ALGORITHMS as readonly string[]).includes(String(key.alg));
    return key.kty === "RSA" || (key.kty === "EC" && key.crv === "P-256");
  });
  if (usable.length === 0) return { ok: false, message: "The JWKS holds no RS256 or ES256 signing key." };
  return { ok: true, keys: usable.length };
}

/** Normalizes an issuer as typed: no trailing slash unless the issuer is an origin with a path of "/". */
export function normalizeIssuerInput(raw: string): string {
  return raw.trim().replace(/(?<=.)\/+$/, "");
}
