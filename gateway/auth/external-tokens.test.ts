import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchApi, matchOperation } from "@/lib/domain/gateway/route-match";
import { authorize } from "./authenticate";
import { compileSnapshot, type RuntimeSnapshot } from "../runtime-snapshot";
import { testSnapshot } from "../tests/support/harness";
import { TestKeys } from "../tests/support/keys";
import { JwtVerifier } from "./jwt-verifier";
import { RemoteJwksCache } from "./remote-jwks";

/**
 * Tokens of an external key manager: verified against its JWKS, which is fetched once and
 * again only for an unknown kid (at most once per cooldown), never per request.
 */

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
}

let server: http.Server;
let jwksUri: string;
let published: SigningKey[] = [];
let fetches = 0;
let issuer: string;
let runtime: RuntimeSnapshot;
let keys: TestKeys;
const AUDIENCE = "https://api.example";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    fetches++;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  jwksUri = `${issuer}/jwks`;
  keys = await TestKeys.create();
  const base = testSnapshot("http://127.0.0.1:1", keys);
  runtime = await compileSnapshot({
    ...base,
    apis: base.apis.map((api) => ({ ...api, keyManagers: ["kmg_idp"] })),
    keyManagers: [{ id: "kmg_idp", issuer, jwksUri, audiences: [AUDIENCE], clientIdClaim: "azp" }],
    externalClients: [{ keyManagerId: "kmg_idp", clientId: "shop-backend", applicationId: "app_1", keyType: "production" }],
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function token(key: SigningKey, claims: Record<string, unknown> = {}, iss = issuer): Promise<string> {
  return new SignJWT({ azp: "shop-backend", scope: "pets:read", ...claims })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "at+jwt" })
    .setIssuer(iss)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key.privateKey);
}

describe("external key managers' tokens", () => {
  it("maps a valid token to its client's application and fetches the JWKS once for many tokens", async () => {
    const first = await signingKey("k1");
    published = [first];
    fetches = 0;
    const verifier = new JwtVerifier(100, new RemoteJwksCache({ cooldownMs: 200 }));
    for (let i = 0; i < 20; i++) {
      const r = await verifier.verify(await token(first, { jti: `t${i}` }), runtime);
      expect(r).toMatchObject({ ok: true, claims: { applicationId: "app_1", clientId: "shop-backend", keyManagerId: "kmg_idp" } });
    }
    expect(fetches).toBe(1);
  });

  it("fetches the JWKS again for a new kid, and at most once per cooldown for unknown ones", async () => {
    const first = await signingKey("a1");
    published = [first];
    fetches = 0;
    const verifier = new JwtVerifier(100, new RemoteJwksCache({ cooldownMs: 300 }));
    expect((await verifier.verify(await token(first), runtime)).ok).toBe(true);
    expect(fetches).toBe(1);
    // The provider rotates its key: the first token of the new kid fetches the JWKS again.
    await new Promise((r) => setTimeout(r, 350));
    const second = await signingKey("a2");
    published = [first, second];
    expect((await verifier.verify(await token(second), runtime)).ok).toBe(true);
    expect(fetches).toBe(2);
    // A flood of made-up kids within the cooldown costs no fetch at all.
    const strangers = await Promise.all([1, 2, 3, 4, 5].map((i) => signingKey(`made-up-${i}`)));
    for (const s of strangers) expect(await verifier.verify(await token(s), runtime)).toMatchObject({ ok: false, code: "unknown_key" });
    expect(fetches).toBe(2);
  });

  it("refuses other issuers, other audiences, unknown clients, and missing client claims", async () => {
    const key = await signingKey("b1");
    published = [key];
    const verifier = new JwtVerifier(100, new RemoteJwksCache());
    const codeOf = async (t: string) => {
      const r = await verifier.verify(t, runtime);
      return r.ok ? "ok" : r.code;
    };
    expect(await codeOf(await token(key, {}, "https://untrusted.example"))).toBe("untrusted_issuer");
    expect(await codeOf(await token(key, { azp: "someone-else" }))).toBe("unknown_client");
    expect(await codeOf(await token(key, { azp: undefined }))).toBe("invalid_token");
    const wrongAudience = await new SignJWT({ azp: "shop-backend" })
      .setProtectedHeader({ alg: "ES256", kid: key.kid })
      .setIssuer(issuer)
      .setAudience("https://other.example")
      .setExpirationTime("5m")
      .sign(key.privateKey);
    expect(await codeOf(wrongAudience)).toBe("invalid_token");
    // Meridian's own tokens still pass as before.
    expect(await codeOf(await keys.token())).toBe("ok");
  });

  it("lets authorize refuse a key manager the API does not accept with 401", async () => {
    const match = matchApi(runtime.router, ["pets", "v1", "7"])!;
    const found = matchOperation(match.api.operations, "GET", match.rest);
    const operation = found && "operation" in found ? found.operation : undefined;
    expect(operation).toBeDefined();
    const identity = { applicationId: "app_1", keyType: "production" as const, scopes: new Set<string>() };
    expect(authorize({ ...identity, keyManagerId: "kmg_idp" }, match.api, operation!, runtime)).toMatchObject({ ok: true });
    expect(authorize({ ...identity, keyManagerId: "builtin" }, match.api, operation!, runtime)).toMatchObject({
      ok: false,
      status: 401,
      code: "issuer_not_accepted",
    });
  });
});
