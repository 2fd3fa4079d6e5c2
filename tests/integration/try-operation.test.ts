import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db/client";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { createApi } from "@/lib/services/apis/create-api";
import { createRevision } from "@/lib/services/apis/create-revision";
import type { ServiceContext } from "@/lib/services/context";
import { tryOperation } from "@/lib/services/catalog/try-operation";
import { deployRevision } from "@/lib/services/deployments/deploy-revision";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { ensureDefaults } from "@/lib/services/environments/ensure-defaults";
import { adminCtx, userContext } from "../helpers";

const run = randomBytes(4).toString("hex");
const seen: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];
let gateway: http.Server;
let gatewayUrl: string;
let consumer: ServiceContext;
let apiId: string;
let base: string;

beforeAll(async () => {
  // Stands in for a gateway: records what reaches it, and answers a redirect and a large body on demand.
  gateway = http.createServer((req, res) => {
    seen.push({ url: req.url!, headers: req.headers });
    if (req.url!.endsWith("/redirect")) return res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
    if (req.url!.endsWith("/large")) return res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(600 * 1024));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: req.url }));
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;

  await ensureDefaults();
  const publisher = await userContext(["publisher"], "try-pub");
  consumer = await userContext(["subscriber"], "try-consumer");
  const envName = `try-${run}`;
  await createEnvironment(
    { name: envName, type: "builtin", mode: "write-only", displayName: envName, publicUrls: [gatewayUrl] } as never,
    adminCtx,
  );
  const api = await createApi(
    {
      name: `Try ${run}`,
      version: "v1",
      context: `/try-${run}`,
      definition: JSON.stringify({
        openapi: "3.0.3",
        info: { title: "t", version: "1" },
        paths: {
          "/items/{id}": {
            get: {
              parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
              responses: { "200": { description: "ok" } },
            },
          },
          "/redirect": { get: { responses: { "302": { description: "moved" } } } },
          "/large": { get: { responses: { "200": { description: "big" } } } },
        },
      }),
      endpoints: { production: "http://127.0.0.1:9/x", sandbox: null, overrides: {} },
      security: { scheme: "apiKey", apiKeyHeader: "x-api-key" },
    } as never,
    publisher,
  );
  await changeLifecycle(api.id, { action: "publish" }, publisher);
  const revision = await createRevision(api.id, { description: "r1" }, publisher);
  await deployRevision(api.id, { revisionId: revision.id, environments: [envName] }, publisher);
  apiId = api.id;
  base = `${gatewayUrl}/try-${run}/v1`;
}, 90_000);

afterAll(async () => {
  await new Promise((resolve) => gateway.close(resolve));
  await closeDb();
});

describe("Try it through the portal's server", () => {
  it("calls the operation on the API's gateway with the credential only, and answers what the gateway answered", async () => {
    const result = await tryOperation(
      {
        apiId,
        base,
        method: "GET",
        path: "/items/{id}",
        params: { id: "a/../b" },
        query: "q=1",
        headers: [
          ["x-api-key", "k1"],
          ["cookie", "next-auth.session-token=secret"],
          ["host", "internal"],
        ],
      },
      consumer,
    );
    expect(result).toMatchObject({ status: 200, truncated: false });
    expect(JSON.parse(result.body)).toEqual({ url: `/try-${run}/v1/items/a%2F..%2Fb?q=1` });
    const request = seen.at(-1)!;
    expect(request.headers["x-api-key"]).toBe("k1");
    expect(request.headers.cookie).toBeUndefined();
    expect(request.headers.host).toBe(new URL(gatewayUrl).host);
  });

  it("is no open proxy: only the API's gateway URLs and operations, for signed-in developers", async () => {
    const before = seen.length;
    await expect(
      tryOperation({ apiId, base: "http://169.254.169.254/latest", method: "GET", path: "/items/{id}", params: { id: "1" } }, consumer),
    ).rejects.toMatchObject({ code: "bad_request" });
    await expect(
      tryOperation({ apiId, base: `${base}@evil.example`, method: "GET", path: "/items/{id}", params: { id: "1" } }, consumer),
    ).rejects.toMatchObject({ code: "bad_request" });
    await expect(tryOperation({ apiId, base, method: "GET", path: "/admin", params: {} }, consumer)).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(
      tryOperation({ apiId, base, method: "GET", path: "/items/{id}", params: { id: "1" } }, { actor: null }),
    ).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(
      tryOperation({ apiId: "api_nope", base, method: "GET", path: "/items/{id}", params: { id: "1" } }, consumer),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(seen.length).toBe(before);
  });

  it("answers a redirect instead of following it, and cuts a large body", async () => {
    const before = seen.length;
    const redirect = await tryOperation({ apiId, base, method: "GET", path: "/redirect" }, consumer);
    expect(redirect.status).toBe(302);
    expect(redirect.headers).toContainEqual(["location", "http://169.254.169.254/latest/meta-data"]);
    expect(seen.length).toBe(before + 1);
    const large = await tryOperation({ apiId, base, method: "GET", path: "/large" }, consumer);
    expect(large).toMatchObject({ status: 200, truncated: true });
    expect(large.body.length).toBe(256 * 1024);
  });
});
