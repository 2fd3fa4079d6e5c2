import * as oauth from "oauth4webapi";
import * as client from "openid-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as oauthServerMetadata } from "@/app/.well-known/oauth-authorization-server/[[...issuerPath]]/route";
import { GET as openidConfiguration } from "@/app/.well-known/openid-configuration/route";
import { GET as jwks } from "@/app/oauth2/jwks/route";
import { POST as revoke } from "@/app/oauth2/revoke/route";
import { POST as token } from "@/app/oauth2/token/route";
import { closeDb } from "@/lib/db/client";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createApplication } from "@/lib/services/applications/create-application";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { userContext } from "../helpers";

/**
 * The key manager as the OAuth clients platform teams use see it: `openid-client` and
 * `oauth4webapi` discover it by both metadata documents from its public URL, pass their issuer
 * check, and run the client credentials grant; RFC 6749's invalid_request cases are refused.
 * Requests reach the route handlers through the clients' custom fetch, as a server would pass them.
 */

/** Routes a request to Meridian's handlers, behind any host and below the issuer's path (a proxy's view). */
async function meridian(
  input: string | URL | Request,
  init?: { method?: string; headers?: HeadersInit; body?: unknown; redirect?: RequestRedirect; signal?: AbortSignal | null },
): Promise<Response> {
  const req = new Request(input, init as RequestInit);
  const path = new URL(req.url).pathname;
  const issuerPath = new URL(process.env.MERIDIAN_TOKEN_ISSUER || process.env.MERIDIAN_PUBLIC_URL || "http://localhost").pathname.replace(
    /\/+$/,
    "",
  );
  const local = issuerPath && path.startsWith(`${issuerPath}/`) ? path.slice(issuerPath.length) : path;
  if (path.startsWith("/.well-known/oauth-authorization-server")) {
    const issuerPathSegments = path.slice("/.well-known/oauth-authorization-server".length).split("/").filter(Boolean);
    return oauthServerMetadata(req, { params: Promise.resolve({ issuerPath: issuerPathSegments }) });
  }
  if (local === "/.well-known/openid-configuration") return openidConfiguration();
  if (local === "/oauth2/token" && req.method === "POST") return token(req);
  if (local === "/oauth2/revoke" && req.method === "POST") return revoke(req);
  if (local === "/oauth2/jwks") return jwks();
  return new Response("not found", { status: 404 });
}

const saved = { publicUrl: process.env.MERIDIAN_PUBLIC_URL, issuer: process.env.MERIDIAN_TOKEN_ISSUER };
// Written as an operator might: upper case, the default port, a trailing slash.
const PUBLIC_URL = "HTTPS://Meridian.Example.TEST:443/";

let creds: { clientId: string; clientSecret: string };

beforeAll(async () => {
  process.env.MERIDIAN_PUBLIC_URL = PUBLIC_URL;
  delete process.env.MERIDIAN_TOKEN_ISSUER;
  await ensureDefaults();
  const publisher = await userContext(["publisher"], "oauth-pub");
  const consumer = await userContext(["subscriber"], "oauth-sub");
  const api = await createApi(
    {
      name: "OAuth clients",
      version: "v1",
      context: `/oauthclients${Date.now().toString(36)}`,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "Reports", version: "1" },
        components: {
          securitySchemes: {
            oauth: {
              type: "oauth2",
              flows: { clientCredentials: { tokenUrl: "https://x.example/token", scopes: { "reports:read": "" } } },
            },
          },
        },
        paths: { "/reports": { get: { security: [{ oauth: ["reports:read"] }], responses: { "200": { description: "ok" } } } } },
      }),
      endpoints: { production: "http://127.0.0.1:9/reports", sandbox: null, overrides: {} },
      security: { scheme: "oauth2", apiKeyHeader: "apikey" },
      allowedTiers: ["Gold"],
    },
    publisher,
  );
  await changeLifecycle(api.id, { action: "publish" }, publisher);
  const app = await createApplication({ name: "oauth-clients-app" }, consumer);
  await createSubscription({ applicationId: app.id, apiId: api.id, tier: "Gold" }, consumer);
  creds = await generateClientCredentials(app.id, {}, consumer);
}, 60_000);

afterEach(() => {
  process.env.MERIDIAN_PUBLIC_URL = PUBLIC_URL;
  delete process.env.MERIDIAN_TOKEN_ISSUER;
});

afterAll(async () => {
  for (const [name, value] of [
    ["MERIDIAN_PUBLIC_URL", saved.publicUrl],
    ["MERIDIAN_TOKEN_ISSUER", saved.issuer],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await closeDb();
});

describe("metadata", () => {
  it("publishes RFC 8414 metadata beside the OpenID document, with one issuer normalized as clients compare it", async () => {
    const server = await (await meridian("https://meridian.example.test/.well-known/oauth-authorization-server")).json();
    const openid = await (await meridian("https://meridian.example.test/.well-known/openid-configuration")).json();
    expect(server).toEqual({
      issuer: "https://meridian.example.test",
      token_endpoint: "https://meridian.example.test/oauth2/token",
      jwks_uri: "https://meridian.example.test/oauth2/jwks",
      revocation_endpoint: "https://meridian.example.test/oauth2/revoke",
      grant_types_supported: ["client_credentials"],
      // No authorization endpoint: no response type is advertised.
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    });
    expect(openid).toEqual({ ...server, subject_types_supported: ["public"], id_token_signing_alg_values_supported: ["ES256"] });
    expect(openid).not.toHaveProperty("authorization_endpoint");
    expect((await meridian("https://meridian.example.test/.well-known/oauth-authorization-server/elsewhere")).status).toBe(404);
  });

  it.each(["oidc", "oauth2"] as const)("passes openid-client's issuer check discovering from the public URL (%s)", async (algorithm) => {
    const config = await client.discovery(new URL(PUBLIC_URL), creds.clientId, undefined, client.ClientSecretBasic(creds.clientSecret), {
      algorithm,
      execute: [client.allowInsecureRequests],
      [client.customFetch]: meridian,
    });
    expect(config.serverMetadata().issuer).toBe("https://meridian.example.test");
    const granted = await client.clientCredentialsGrant(config, { scope: "reports:read" });
    expect(granted).toMatchObject({ token_type: "bearer", scope: "reports:read" });
    expect(granted.expiresIn()).toBeGreaterThan(0);
    await client.tokenRevocation(config, granted.access_token);
    // A scope that no subscribed API defines is refused, not copied into the token.
    await expect(client.clientCredentialsGrant(config, { scope: "reports:delete" })).rejects.toMatchObject({ error: "invalid_scope" });
  });

  it.each(["oidc", "oauth2"] as const)(
    "passes oauth4webapi's issuer check and runs the client credentials grant with client_secret_post (%s)",
    async (algorithm) => {
      const issuer = new URL(PUBLIC_URL);
      const options = { [oauth.customFetch]: meridian, [oauth.allowInsecureRequests]: true };
      const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm, ...options }));
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        { client_id: creds.clientId },
        oauth.ClientSecretPost(creds.clientSecret),
        { scope: "reports:read" },
        options,
      );
      const result = await oauth.processClientCredentialsResponse(as, { client_id: creds.clientId }, response);
      expect(result).toMatchObject({ token_type: "bearer", scope: "reports:read" });
      expect(result.access_token.split(".")).toHaveLength(3);
    },
  );

  it("serves the RFC 8414 document after the path of an issuer that has one", async () => {
    process.env.MERIDIAN_TOKEN_ISSUER = "https://gateway.example.test/key-manager/";
    for (const algorithm of ["oidc", "oauth2"] as const) {
      const config = await client.discovery(
        new URL("https://gateway.example.test/key-manager"),
        creds.clientId,
        undefined,
        client.ClientSecretBasic(creds.clientSecret),
        { algorithm, [client.customFetch]: meridian },
      );
      expect(config.serverMetadata()).toMatchObject({
        issuer: "https://gateway.example.test/key-manager",
        token_endpoint: "https://gateway.example.test/key-manager/oauth2/token",
      });
    }
    expect((await meridian("https://gateway.example.test/.well-known/oauth-authorization-server")).status).toBe(404);
  });
});

describe("invalid_request", () => {
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    meridian(`https://meridian.example.test${url}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    });

  async function expectInvalidRequest(response: Response, description: RegExp) {
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({ error: "invalid_request", error_description: expect.stringMatching(description) });
  }

  it("refuses a repeated parameter (RFC 6749 §3.2)", async () => {
    const auth = { authorization: basic(creds.clientId, creds.clientSecret) };
    await expectInvalidRequest(
      await post("/oauth2/token", "grant_type=client_credentials&grant_type=client_credentials", auth),
      /grant_type is repeated/,
    );
    await expectInvalidRequest(
      await post("/oauth2/token", "grant_type=client_credentials&scope=reports:read&scope=admin", auth),
      /scope is repeated/,
    );
    await expectInvalidRequest(
      await post(
        "/oauth2/token",
        `grant_type=client_credentials&client_id=${creds.clientId}&client_secret=${creds.clientSecret}&client_secret=${creds.clientSecret}`,
      ),
      /client_secret is repeated/,
    );
    await expectInvalidRequest(await post("/oauth2/revoke", "token=a&token=b", auth), /token is repeated/);
    // Once each, the same request succeeds.
    expect((await post("/oauth2/token", "grant_type=client_credentials&scope=reports:read", auth)).status).toBe(200);
  });

  it("refuses two client authentication methods in one request (RFC 6749 §2.3)", async () => {
    const auth = { authorization: basic(creds.clientId, creds.clientSecret) };
    await expectInvalidRequest(
      await post("/oauth2/token", `grant_type=client_credentials&client_id=${creds.clientId}&client_secret=${creds.clientSecret}`, auth),
      /one client authentication method/,
    );
    await expectInvalidRequest(
      await post("/oauth2/revoke", `token=x&client_secret=${creds.clientSecret}`, auth),
      /one client authentication method/,
    );
    await expectInvalidRequest(
      await post(
        "/oauth2/token",
        "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=x",
        auth,
      ),
      /one client authentication method/,
    );
    // A client_id beside Basic credentials is no second method, but it must name the same client.
    expect((await post("/oauth2/token", `grant_type=client_credentials&client_id=${creds.clientId}`, auth)).status).toBe(200);
    await expectInvalidRequest(await post("/oauth2/token", "grant_type=client_credentials&client_id=someone-else", auth), /differs/);
  });
});
