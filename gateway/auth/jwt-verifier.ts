import { decodeJwt, errors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from "jose";
import { externalClientKey, type RuntimeSnapshot } from "../runtime-snapshot";
import { LruCache } from "./lru-cache";
import { RemoteJwksCache } from "./remote-jwks";

/**
 * Offline access-token checks against the snapshot's JWKS. Only ES256 and RS256 are accepted
 * and the key named by `kid` must declare the token's algorithm, which refuses `alg: none` and
 * the HS256-signed-with-the-public-key trick. A signature check costs far more than the rest of
 * a proxied request, so successful checks are cached by token until `exp`; revocations are
 * checked on every hit, and a change of keys, issuer or audience empties the cache.
 *
 * Tokens of external key managers (the snapshot's `keyManagers`, told apart by `iss`) are
 * checked against that provider's JWKS (RemoteJwksCache), its issuer and audiences, and name
 * their application through the client id claim and the snapshot's `externalClients`.
 */

export const CLOCK_SKEW_SECONDS = 30;
const ALGORITHMS = ["ES256", "RS256"];
/** Larger tokens are refused before any parsing: they could only be abuse. */
const MAX_TOKEN_LENGTH = 8192;

export interface AccessClaims {
  /** The application. */
  applicationId: string;
  clientId: string | null;
  jti: string;
  scopes: Set<string>;
  keyType: "production" | "sandbox";
  /** `builtin`, or the external key manager that issued the token. */
  keyManagerId: string;
}

export type TokenFailure = "invalid_token" | "token_expired" | "token_revoked" | "unknown_key" | "untrusted_issuer" | "unknown_client";
export type TokenCheck = { ok: true; claims: AccessClaims } | { ok: false; code: TokenFailure; message: string };

interface CacheEntry {
  /** The whole token: the cache is keyed by its end only. */
  token: string;
  claims: AccessClaims;
  /** Epoch ms after which the token is expired even with the allowed skew. */
  expiresAt: number;
}

class UnknownKeyError extends Error {}

/**
 * The cache key: the token's last characters, which are its signature's. Hashing the whole
 * token (hundreds of characters, a new string with every request) showed in the profile; a hit
 * still compares the whole token, so two tokens that share an end never share an entry.
 */
const KEY_CHARS = 32;
const cacheKey = (token: string) => (token.length > KEY_CHARS ? token.slice(-KEY_CHARS) : token);

function fail(code: TokenFailure, message: string): TokenCheck {
  return { ok: false, code, message };
}

export class JwtVerifier {
  private readonly cache: LruCache<string, CacheEntry>;
  private fingerprint = "";
  readonly remoteJwks: RemoteJwksCache;

  constructor(capacity: number, remoteJwks = new RemoteJwksCache()) {
    this.cache = new LruCache(capacity);
    this.remoteJwks = remoteJwks;
  }

  private remember(token: string, claims: AccessClaims, exp: number, runtime: RuntimeSnapshot): void {
    // A slow check may have raced a new snapshot: cache only under the keys it was checked with.
    if (runtime.keyFingerprint === this.fingerprint) {
      this.cache.set(cacheKey(token), { token, claims, expiresAt: exp * 1000 + CLOCK_SKEW_SECONDS * 1000 });
    }
  }

  /** Synchronous answer from the cache, or undefined when the signature must be checked. */
  cached(token: string, runtime: RuntimeSnapshot, now = Date.now()): TokenCheck | undefined {
    if (runtime.keyFingerprint !== this.fingerprint) {
      this.cache.clear();
      this.fingerprint = runtime.keyFingerprint;
      this.remoteJwks.retain([...runtime.keyManagersByIssuer.values()].map((k) => k.jwksUri));
      return undefined;
    }
    const key = cacheKey(token);
    const entry = this.cache.get(key);
    if (!entry || entry.token !== token) return undefined;
    if (now > entry.expiresAt) {
      this.cache.delete(key);
      return fail("token_expired", "The access token has expired.");
    }
    if (runtime.revoked.has(entry.claims.jti)) return fail("token_revoked", "The access token has been revoked.");
    return { ok: true, claims: entry.claims };
  }

  async verify(token: string, runtime: RuntimeSnapshot): Promise<TokenCheck> {
    const hit = this.cached(token, runtime);
    if (hit) return hit;
    if (token.length > MAX_TOKEN_LENGTH) return fail("invalid_token", "The access token is too large.");
    const { snapshot, keys } = runtime;
    // Told apart by `iss` before any key is looked up, so that another issuer's token is named
    // as such (untrusted_issuer) rather than as signed by an unknown key. Only on a cache miss.
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return fail("invalid_token", "The access token is not valid.");
    }
    if (typeof unverified.iss === "string" && unverified.iss !== snapshot.issuer)
      return this.verifyExternal(token, unverified.iss, runtime);
    try {
      const { payload } = await jwtVerify(
        token,
        (header: JWTHeaderParameters) => {
          const key = header.kid ? keys.get(header.kid) : undefined;
          if (!key) throw new UnknownKeyError();
          if (key.alg !== header.alg) throw new errors.JOSEAlgNotAllowed("The key does not sign with this algorithm.");
          return key.key;
        },
        {
          algorithms: ALGORITHMS,
          issuer: snapshot.issuer,
          audience: snapshot.audience,
          clockTolerance: CLOCK_SKEW_SECONDS,
          requiredClaims: ["exp", "sub", "jti"],
        },
      );
      const keyType = payload.keytype;
      if (keyType !== "production" && keyType !== "sandbox") return fail("invalid_token", "The access token has no valid keytype claim.");
      if (typeof payload.jti !== "string" || typeof payload.sub !== "string")
        return fail("invalid_token", "The access token lacks sub or jti.");
      const claims: AccessClaims = {
        applicationId: payload.sub,
        clientId: typeof payload.client_id === "string" ? payload.client_id : null,
        jti: payload.jti,
        scopes: new Set(typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : []),
        keyType,
        keyManagerId: "builtin",
      };
      if (runtime.revoked.has(claims.jti)) return fail("token_revoked", "The access token has been revoked.");
      this.remember(token, claims, payload.exp as number, runtime);
      return { ok: true, claims };
    } catch (error) {
      if (error instanceof UnknownKeyError) return fail("unknown_key", "The access token was signed by an unknown key.");
      if (error instanceof errors.JWTExpired) return fail("token_expired", "The access token has expired.");
      if (error instanceof errors.JWTClaimValidationFailed)
        return fail("invalid_token", `The access token's ${error.claim} claim is not acceptable.`);
      if (error instanceof errors.JOSEError) return fail("invalid_token", "The access token is not valid.");
      throw error;
    }
  }

  private async verifyExternal(token: string, issuer: string, runtime: RuntimeSnapshot): Promise<TokenCheck> {
    const km = runtime.keyManagersByIssuer.get(issuer);
    if (!km) return fail("untrusted_issuer", "The access token's issuer is not trusted here.");
    try {
      const { payload } = await jwtVerify(token, this.remoteJwks.get(km.jwksUri), {
        algorithms: ALGORITHMS,
        issuer: km.issuer,
        audience: km.audiences,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ["exp"],
      });
      const clientId = payload[km.clientIdClaim];
      if (typeof clientId !== "string") return fail("invalid_token", `The access token has no ${km.clientIdClaim} claim.`);
      const client = runtime.externalClients.get(externalClientKey(km.id, clientId));
      if (!client) return fail("unknown_client", "The access token's client is not an application's client.");
      const scope = payload.scope ?? payload.scp;
      const claims: AccessClaims = {
        applicationId: client.applicationId,
        clientId,
        jti: typeof payload.jti === "string" ? payload.jti : "",
        scopes: new Set(typeof scope === "string" ? scope.split(" ").filter(Boolean) : Array.isArray(scope) ? scope.map(String) : []),
        keyType: client.keyType,
        keyManagerId: km.id,
      };
      if (claims.jti && runtime.revoked.has(claims.jti)) return fail("token_revoked", "The access token has been revoked.");
      this.remember(token, claims, payload.exp as number, runtime);
      return { ok: true, claims };
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) return fail("unknown_key", "The access token was signed by an unknown key.");
      if (error instanceof errors.JWTExpired) return fail("token_expired", "The access token has expired.");
      if (error instanceof errors.JWTClaimValidationFailed)
        return fail("invalid_token", `The access token's ${error.claim} claim is not acceptable.`);
      if (error instanceof errors.JOSEError) return fail("invalid_token", "The access token is not valid.");
      // The provider's JWKS could not be fetched: the token cannot be checked now.
      return fail("unknown_key", "The key manager's keys could not be fetched.");
    }
  }
}
