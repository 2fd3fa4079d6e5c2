import { randomUUID } from "node:crypto";
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import type { PublicJwk } from "@/lib/domain/gateway/snapshot";

export const ISSUER = "http://cp.test";
export const AUDIENCE = "meridian-gateway";

/** A key manager in miniature: one ES256 signing key, and tokens shaped like Meridian's. */
export class TestKeys {
  private constructor(
    readonly kid: string,
    readonly jwk: PublicJwk,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
  ) {}

  static async create(kid = "key-1"): Promise<TestKeys> {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } as PublicJwk;
    return new TestKeys(kid, jwk, privateKey, publicKey);
  }

  async token(
    options: { sub?: string; aud?: string; expiresIn?: string | number; jti?: string; keytype?: string; scope?: string; kid?: string } = {},
  ): Promise<string> {
    return new SignJWT({ client_id: "client-1", scope: options.scope ?? "default", keytype: options.keytype ?? "production" })
      .setProtectedHeader({ alg: "ES256", kid: options.kid ?? this.kid, typ: "at+jwt" })
      .setIssuer(ISSUER)
      .setAudience(options.aud ?? AUDIENCE)
      .setSubject(options.sub ?? "app_1")
      .setJti(options.jti ?? randomUUID())
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "1h")
      .sign(this.privateKey);
  }

  /** The classic confusion attack: HS256 with the public key as the HMAC secret. */
  async hs256WithPublicKey(): Promise<string> {
    const secret = new TextEncoder().encode(await exportSPKI(this.publicKey));
    return new SignJWT({ keytype: "production" })
      .setProtectedHeader({ alg: "HS256", kid: this.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject("app_1")
      .setJti(randomUUID())
      .setExpirationTime("1h")
      .sign(secret);
  }

  static unsigned(): string {
    const part = (v: object) => base64url.encode(JSON.stringify(v));
    const now = Math.floor(Date.now() / 1000);
    return `${part({ alg: "none", kid: "key-1" })}.${part({ iss: ISSUER, aud: AUDIENCE, sub: "app_1", jti: randomUUID(), exp: now + 3600, keytype: "production" })}.`;
  }
}
