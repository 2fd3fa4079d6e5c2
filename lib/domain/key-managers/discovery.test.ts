import { describe, expect, it } from "vitest";
import { checkDiscoveryDocument, checkJwks, discoveryUrlOf } from "./discovery";

const ISSUER = "https://idp.example.com/realms/acme";
const good = {
  issuer: ISSUER,
  jwks_uri: `${ISSUER}/certs`,
  token_endpoint: `${ISSUER}/token`,
  registration_endpoint: `${ISSUER}/clients-registrations/openid-connect`,
};

describe("discovery document checks", () => {
  it("reads the endpoints of a consistent document", () => {
    expect(checkDiscoveryDocument(ISSUER, good)).toEqual({
      ok: true,
      metadata: {
        issuer: ISSUER,
        jwksUri: good.jwks_uri,
        tokenEndpoint: good.token_endpoint,
        registrationEndpoint: good.registration_endpoint,
      },
    });
    const { registration_endpoint: _r, ...withoutRegistration } = good;
    expect(checkDiscoveryDocument(ISSUER, withoutRegistration)).toMatchObject({ ok: true, metadata: { registrationEndpoint: null } });
  });

  it.each([
    ["an issuer mismatch", { ...good, issuer: "https://evil.example.com" }, /inconsistent/],
    ["an issuer that differs by a trailing slash", { ...good, issuer: `${ISSUER}/` }, /inconsistent/],
    ["no jwks_uri", { ...good, jwks_uri: undefined }, /no jwks_uri/],
    ["no token endpoint", { ...good, token_endpoint: undefined }, /no token_endpoint/],
    ["a jwks_uri that is no http URL", { ...good, jwks_uri: "file:///etc/passwd" }, /jwks_uri/],
    ["no document at all", "<html>", /not valid/],
  ])("refuses %s", (_label, document, message) => {
    const check = checkDiscoveryDocument(ISSUER, document);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(message);
  });

  it("finds the document under the issuer's well-known path", () => {
    expect(discoveryUrlOf(ISSUER)).toBe(`${ISSUER}/.well-known/openid-configuration`);
    expect(discoveryUrlOf("https://idp.example.com/")).toBe("https://idp.example.com/.well-known/openid-configuration");
  });
});

describe("JWKS checks", () => {
  it("accepts RS256 and ES256 signing keys", () => {
    expect(checkJwks({ keys: [{ kty: "RSA", kid: "a", n: "x", e: "AQAB" }] })).toEqual({ ok: true, keys: 1 });
    expect(checkJwks({ keys: [{ kty: "EC", crv: "P-256", alg: "ES256", kid: "b" }] })).toEqual({ ok: true, keys: 1 });
  });

  it("refuses a JWKS without a usable signing key", () => {
    expect(checkJwks({ keys: [] }).ok).toBe(false);
    expect(checkJwks({ keys: [{ kty: "RSA", use: "enc" }] }).ok).toBe(false);
    expect(checkJwks({ keys: [{ kty: "OKP", crv: "Ed25519" }] }).ok).toBe(false);
    expect(checkJwks({ nothing: true }).ok).toBe(false);
  });
});
