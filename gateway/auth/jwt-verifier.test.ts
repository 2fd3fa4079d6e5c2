import { beforeAll, describe, expect, it } from "vitest";
import { compileSnapshot, type RuntimeSnapshot } from "../runtime-snapshot";
import { testSnapshot } from "../tests/support/harness";
import { TestKeys } from "../tests/support/keys";
import { JwtVerifier } from "./jwt-verifier";

let keys: TestKeys;
let runtime: RuntimeSnapshot;
beforeAll(async () => {
  keys = await TestKeys.create();
  runtime = await compileSnapshot(testSnapshot("http://127.0.0.1:1", keys));
});

const code = async (token: string, rt = runtime, verifier = new JwtVerifier(10)) => {
  const r = await verifier.verify(token, rt);
  return r.ok ? "ok" : r.code;
};

describe("JwtVerifier", () => {
  it("accepts a valid token and reads its claims", async () => {
    const r = await new JwtVerifier(10).verify(await keys.token({ scope: "a b", keytype: "sandbox" }), runtime);
    expect(r).toMatchObject({ ok: true, claims: { applicationId: "app_1", clientId: "client-1", keyType: "sandbox" } });
    expect(r.ok && [...r.claims.scopes]).toEqual(["a", "b"]);
  });

  it.each<[string, () => Promise<string>, string]>([
    ["alg none", async () => TestKeys.unsigned(), "invalid_token"],
    ["HS256 signed with the public key", () => keys.hs256WithPublicKey(), "invalid_token"],
    ["an unknown kid", async () => (await TestKeys.create("other")).token(), "unknown_key"],
    ["a missing kid", () => keys.token({ kid: "" }), "unknown_key"],
    ["an expired token", () => keys.token({ expiresIn: Math.floor(Date.now() / 1000) - 31 }), "token_expired"],
    ["a wrong audience", () => keys.token({ aud: "other" }), "invalid_token"],
    ["a bad keytype", () => keys.token({ keytype: "staging" }), "invalid_token"],
    ["garbage", async () => "a.b.c", "invalid_token"],
  ])("refuses %s", async (_, make, expected) => {
    expect(await code(await make())).toBe(expected);
  });

  it("never answers from the cache for a token that only ends like a cached one", async () => {
    const verifier = new JwtVerifier(10);
    const token = await keys.token({ sub: "app_1" });
    expect(await code(token, runtime, verifier)).toBe("ok");
    // Same signature (the cache key), another payload: a forgery that must be checked in full.
    const [header, , signature] = token.split(".");
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: "app_2", exp: 9_999_999_999, jti: "x", keytype: "production" })).toString("base64url")}.${signature}`;
    expect(verifier.cached(forged, runtime)).toBeUndefined();
    expect(await code(forged, runtime, verifier)).toBe("invalid_token");
    expect(verifier.cached(token, runtime)?.ok).toBe(true);
  });

  it("re-checks revocations on a cache hit", async () => {
    const verifier = new JwtVerifier(10);
    const token = await keys.token({ jti: "j1" });
    expect(await code(token, runtime, verifier)).toBe("ok");
    expect(verifier.cached(token, runtime)?.ok).toBe(true);
    const revoked = { ...runtime, revoked: new Set(["j1"]) };
    expect(verifier.cached(token, revoked)).toMatchObject({ ok: false, code: "token_revoked" });
  });

  it("expires cache entries at exp plus the skew", async () => {
    const verifier = new JwtVerifier(10);
    const exp = Math.floor(Date.now() / 1000) + 60;
    const token = await keys.token({ expiresIn: exp });
    expect(await code(token, runtime, verifier)).toBe("ok");
    expect(verifier.cached(token, runtime, exp * 1000 + 29_000)?.ok).toBe(true);
    expect(verifier.cached(token, runtime, exp * 1000 + 31_000)).toMatchObject({ ok: false, code: "token_expired" });
  });

  it("forgets verified tokens when the keys change", async () => {
    const verifier = new JwtVerifier(10);
    const token = await keys.token();
    expect(await code(token, runtime, verifier)).toBe("ok");
    const rotated = await compileSnapshot(testSnapshot("http://127.0.0.1:1", await TestKeys.create("key-2")));
    expect(verifier.cached(token, rotated)).toBeUndefined();
    expect(await code(token, rotated, verifier)).toBe("unknown_key");
  });
});
