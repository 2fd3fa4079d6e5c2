import { afterEach, describe, expect, it } from "vitest";
import { sendJson, startTestServer, testContext, type TestServer } from "../test-server";
import { kongConnector } from "./connector";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A Kong Admin API double: RBAC with one token and one workspace. */
async function kong({ token = "kpat_good", workspaces = ["default", "payments"] } = {}) {
  server = await startTestServer((req, res) => {
    if (token && req.headers["kong-admin-token"] !== token)
      return sendJson(res, 401, { message: "Invalid credentials. Token or User credentials required" });
    const url = new URL(req.url ?? "/", "http://kong");
    if (url.pathname === "/status") return sendJson(res, 200, { database: { reachable: true }, server: { connections_active: 1 } });
    const ws = url.pathname === "/services" ? "default" : /^\/([^/]+)\/services$/.exec(url.pathname)?.[1];
    if (ws && workspaces.includes(ws)) return sendJson(res, 200, { data: [], next: null });
    return sendJson(res, 404, { message: "Not found" });
  });
  return server;
}

describe("Kong connection test", () => {
  it("checks /status with the admin token, then the workspace", async () => {
    const s = await kong();
    const result = await kongConnector.testConnection({ adminUrl: s.url, adminToken: "kpat_good", workspace: "payments" }, testContext());
    expect(result).toEqual({ ok: true, message: `Connected to Kong at ${s.url}, workspace payments.` });
    expect(s.requests.map((r) => r.url)).toEqual(["/status", "/payments/services?size=1"]);
    expect(s.requests[0].headers["kong-admin-token"]).toBe("kpat_good");
  });

  it.each([
    [{ adminToken: "kpat_wrong" }, "adminToken", /refused the admin token/],
    [{}, "adminToken", /requires an admin token/],
    [{ adminToken: "kpat_good", workspace: "unknown" }, "workspace", /no workspace named unknown/],
  ])("maps %j onto a field", async (config, field, message) => {
    const s = await kong();
    const result = await kongConnector.testConnection({ adminUrl: s.url, ...config }, testContext());
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.[field]).toMatch(message);
  });

  it("tells a URL that is not Kong's Admin API, and one that is unreachable", async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, { hello: "world" }));
    expect((await kongConnector.testConnection({ adminUrl: server.url }, testContext())).fieldErrors?.adminUrl).toMatch(
      /does not answer like Kong's Admin API/,
    );
    expect((await kongConnector.testConnection({ adminUrl: "http://127.0.0.1:9" }, testContext())).fieldErrors?.adminUrl).toBe(
      "Could not reach http://127.0.0.1:9: the connection was refused.",
    );
  });
});
