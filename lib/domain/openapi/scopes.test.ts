import { describe, expect, it } from "vitest";
import { extractOperations } from "./operations";
import {
  effectiveScopes,
  enforcedScopes,
  isScopeToken,
  oauthSchemeNames,
  parseScopeParameter,
  requirementScopes,
  ungrantableScopes,
} from "./scopes";

const PETS = {
  openapi: "3.0.3",
  info: { title: "Pets", version: "1" },
  security: [{ oauth: ["pets:read"] }],
  components: {
    securitySchemes: {
      oauth: {
        type: "oauth2",
        flows: { clientCredentials: { tokenUrl: "https://x/token", scopes: { "pets:read": "", "pets:write": "" } } },
      },
      oidc: { type: "openIdConnect", openIdConnectUrl: "https://x/.well-known/openid-configuration" },
      key: { type: "apiKey", in: "header", name: "apikey" },
    },
  },
  paths: {
    "/pets": {
      get: { responses: {} },
      post: { security: [{ oauth: ["pets:write", "pets:read"] }], responses: {} },
      delete: { security: [{ oauth: ["pets:write", "pets:admin"] }, { oidc: ["pets:write"] }], responses: {} },
    },
    "/health": { get: { security: [], responses: {} } },
    "/keyed": { get: { security: [{ key: [] }], responses: {} } },
  },
};

describe("scopes from the document", () => {
  it("reads the scopes of OAuth2 and OpenID Connect requirements, the root's where an operation has none", () => {
    const ops = extractOperations(PETS);
    const byKey = Object.fromEntries(ops.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o.documentScopes]));
    expect(byKey).toEqual({
      "GET /pets": ["pets:read"],
      "POST /pets": ["pets:read", "pets:write"],
      // Alternatives: only what every OAuth2 alternative asks for, so no token the document accepts is refused.
      "DELETE /pets": ["pets:write"],
      "GET /health": [],
      "GET /keyed": [],
    });
    expect(ops.every((o) => o.scopes === null)).toBe(true);
  });

  it("keeps the publisher's scopes when the document changes", () => {
    const first = extractOperations(PETS).map((o) => (o.method === "get" && o.path === "/pets" ? { ...o, scopes: ["pets:list"] } : o));
    const again = extractOperations({ ...PETS, security: [] }, first);
    const get = again.find((o) => o.method === "get" && o.path === "/pets")!;
    expect(get).toMatchObject({ documentScopes: [], scopes: ["pets:list"] });
    expect(effectiveScopes({ documentScopes: get.documentScopes!, scopes: get.scopes! })).toEqual(["pets:list"]);
  });

  it("ignores schemes that are not OAuth2 and malformed scope names", () => {
    expect([...oauthSchemeNames(PETS)].sort()).toEqual(["oauth", "oidc"]);
    expect(requirementScopes([{ key: ["x"] }], oauthSchemeNames(PETS))).toBeUndefined();
    expect(requirementScopes([{ oauth: ["ok", "has space", 'q"uote', 7] }], oauthSchemeNames(PETS))).toEqual(["ok"]);
    expect(requirementScopes("nonsense", oauthSchemeNames(PETS))).toBeUndefined();
  });
});

describe("scope rules", () => {
  it.each([
    ["read:pets", true],
    ["https://api.example.com/pets.read", true],
    ["", false],
    ["two words", false],
    ['quo"te', false],
    ["back\\slash", false],
    ["é", false],
    ["x".repeat(101), false],
  ])("scope token %j: %s", (value, ok) => {
    expect(isScopeToken(value)).toBe(ok);
  });

  it("parses a scope parameter strictly: single spaces, no duplicates kept", () => {
    expect(parseScopeParameter(undefined)).toEqual([]);
    expect(parseScopeParameter("  ")).toEqual([]);
    expect(parseScopeParameter("a b a")).toEqual(["a", "b"]);
    expect(parseScopeParameter("a  b")).toBeNull();
    expect(parseScopeParameter("a\tb")).toBeNull();
  });

  it("enforces recorded scopes on OAuth2 operations only", () => {
    const settings = {
      security: { scheme: "oauth2" },
      operationPolicies: {
        "GET /a": { security: null, scopes: ["a"] },
        "GET /b": { security: "apiKey", scopes: ["b"] },
        "GET /c": { security: "none", scopes: ["c"] },
        "GET /d": { security: null },
      },
    };
    expect(enforcedScopes(settings, "GET /a")).toEqual(["a"]);
    expect(enforcedScopes(settings, "GET /b")).toEqual([]);
    expect(enforcedScopes(settings, "GET /c")).toEqual([]);
    expect(enforcedScopes(settings, "GET /d")).toEqual([]);
    expect(enforcedScopes(settings, "GET /missing")).toEqual([]);
    expect(
      enforcedScopes({ security: { scheme: "apiKey" }, operationPolicies: { "GET /e": { security: "oauth2", scopes: ["e"] } } }, "GET /e"),
    ).toEqual(["e"]);
  });

  it("names the requested scopes nothing allows", () => {
    expect(ungrantableScopes(["a", "b", "c"], new Set(["b"]))).toEqual(["a", "c"]);
    expect(ungrantableScopes([], [])).toEqual([]);
  });
});
