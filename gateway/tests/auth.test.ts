import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestKeys } from "./support/keys";
import { API_KEY, SANDBOX_API_KEY, startStack, testSnapshot, waitFor, type Stack } from "./support/harness";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const call = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  fetch(`${stack.gateway.url}${path}`, { ...init, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function expectRefused(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect((await res.json()).code).toBe(code);
}

describe("tokens", () => {
  it("proxies a request with a valid token, without forwarding the token", async () => {
    const res = await call("/pets/v1/7?q=1", bearer(await stack.keys.token()));
    expect(res.status).toBe(200);
    const echo = await res.json();
    expect(echo.url).toBe("/prod/7?q=1");
    expect(echo.headers.authorization).toBeUndefined();
    expect(echo.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(echo.headers["x-forwarded-host"]).toBe(new URL(stack.gateway.url).host);
    expect(res.headers.get("x-backend")).toBe("yes");
    // The upstream's hop-by-hop Keep-Alive is not relayed (the gateway sends none of its own).
    expect(res.headers.get("keep-alive")).toBeNull();
    expect(res.headers.get("ratelimit-limit")).toBe("1000");
  });

  it("serves the default version without the version segment", async () => {
    const res = await call("/pets/7", bearer(await stack.keys.token()));
    expect((await res.json()).url).toBe("/prod/7");
  });

  it("refuses a request without credentials", async () => {
    const res = await call("/pets/v1/7");
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    await expectRefused(res, 401, "missing_credentials");
  });

  it("refuses an expired token", async () => {
    const token = await stack.keys.token({ expiresIn: Math.floor(Date.now() / 1000) - 60 });
    await expectRefused(await call("/pets/v1/7", bearer(token)), 401, "token_expired");
  });

  it("accepts a token expired within the 30 s skew", async () => {
    const token = await stack.keys.token({ expiresIn: Math.floor(Date.now() / 1000) - 5 });
    expect((await call("/pets/v1/7", bearer(token))).status).toBe(200);
  });

  it("refuses a token for another audience", async () => {
    await expectRefused(await call("/pets/v1/7", bearer(await stack.keys.token({ aud: "someone-else" }))), 401, "invalid_token");
  });

  it("refuses alg none", async () => {
    await expectRefused(await call("/pets/v1/7", bearer(TestKeys.unsigned())), 401, "invalid_token");
  });

  it("refuses HS256 signed with the public key", async () => {
    await expectRefused(await call("/pets/v1/7", bearer(await stack.keys.hs256WithPublicKey())), 401, "invalid_token");
  });

  it("refuses a token of an unknown kid", async () => {
    const stranger = await TestKeys.create("key-unknown");
    await expectRefused(await call("/pets/v1/7", bearer(await stranger.token())), 401, "unknown_key");
  });

  it("refuses a token signed by another key under a known kid", async () => {
    const impostor = await TestKeys.create("key-1");
    await expectRefused(await call("/pets/v1/7", bearer(await impostor.token())), 401, "invalid_token");
  });

  it("refuses a token within 2 s of its revocation, even after it was cached", async () => {
    const token = await stack.keys.token({ jti: "to-revoke" });
    expect((await call("/pets/v1/7", bearer(token))).status).toBe(200);
    const before = stack.gateway.appliedVersion();
    stack.cp.publish(
      testSnapshot(stack.backendUrl, stack.keys, "rev-2", {
        revokedTokenIds: [{ jti: "to-revoke", expiresAt: new Date(Date.now() + 3_600_000).toISOString() }],
      }),
    );
    const took = await waitFor(async () => (await call("/pets/v1/7", bearer(token))).status === 401, 2_000);
    expect(took).toBeLessThan(2_000);
    expect(stack.gateway.appliedVersion()).not.toBe(before);
    await expectRefused(await call("/pets/v1/7", bearer(token)), 401, "token_revoked");
    expect((await call("/pets/v1/7", bearer(await stack.keys.token()))).status).toBe(200);
  });

  it("refuses an application without a subscription, or with a blocked one", async () => {
    await expectRefused(await call("/pets/v1/7", bearer(await stack.keys.token({ sub: "app_other" }))), 403, "subscription_required");
    await expectRefused(await call("/pets/v1/7", bearer(await stack.keys.token({ sub: "app_blocked" }))), 403, "subscription_blocked");
  });

  it("checks the operation's scopes", async () => {
    const refused = await call("/pets/v1", bearer(await stack.keys.token()), { method: "POST" });
    // RFC 6750 §3.1: the challenge names the error and the scopes a token would need.
    expect(refused.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="pets:write"');
    await expectRefused(refused, 403, "insufficient_scope");
    expect((await call("/pets/v1", bearer(await stack.keys.token({ scope: "pets:read pets:write" })), { method: "POST" })).status).toBe(
      200,
    );
    // Scopes of other operations do not stand in for the one this operation needs.
    expect((await call("/pets/v1", bearer(await stack.keys.token({ scope: "pets:read" })), { method: "POST" })).status).toBe(403);
  });

  it("refuses an API key on an operation that requires scopes", async () => {
    const refused = await call("/pets/v1", { apikey: API_KEY }, { method: "POST" });
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    await expectRefused(refused, 403, "insufficient_scope");
  });

  it("sends sandbox tokens to the sandbox upstream", async () => {
    const res = await call("/pets/v1/7", bearer(await stack.keys.token({ keytype: "sandbox" })));
    expect((await res.json()).url).toBe("/sandbox/7");
  });
});

describe("API keys", () => {
  it("accepts a valid key in apikey or x-api-key, without forwarding it", async () => {
    const res = await call("/pets/v1/7", { apikey: API_KEY });
    expect(res.status).toBe(200);
    expect((await res.json()).headers.apikey).toBeUndefined();
    expect((await call("/pets/v1/7", { "x-api-key": API_KEY })).status).toBe(200);
  });

  it("refuses an unknown or expired key", async () => {
    await expectRefused(await call("/pets/v1/7", { apikey: "mrd_wrong" }), 401, "invalid_api_key");
    await expectRefused(await call("/pets/v1/7", { apikey: "mrd_expired" }), 401, "api_key_expired");
  });

  it("routes sandbox keys to the sandbox upstream", async () => {
    expect((await (await call("/pets/v1/7", { apikey: SANDBOX_API_KEY })).json()).url).toBe("/sandbox/7");
  });
});

describe("open operations and routing", () => {
  it("serves an open operation without credentials", async () => {
    expect((await call("/pets/v1/health")).status).toBe(200);
  });

  it("answers unknown paths and methods with JSON", async () => {
    await expectRefused(await call("/nothing/here"), 404, "route_not_found");
    await expectRefused(await call("/pets/v1/7/8/9"), 404, "operation_not_found");
    const res = await call("/pets/v1/7", {}, { method: "DELETE" });
    expect(res.headers.get("allow")).toBe("GET");
    await expectRefused(res, 405, "method_not_allowed");
    // fetch would resolve the dot segments itself; a raw request sends them as they are.
    const raw = await new Promise<number>((resolve, reject) => {
      const { port } = stack.gateway;
      http.get({ host: "127.0.0.1", port, path: "/pets/v1/%2e%2e/admin" }, (r) => resolve(r.resume().statusCode ?? 0)).on("error", reject);
    });
    expect(raw).toBe(400);
  });
});
