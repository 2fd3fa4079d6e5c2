import { afterEach, describe, expect, it } from "vitest";
import { sendJson, startTestServer, testContext, type TestServer } from "../test-server";
import { envoyConnector } from "./connector";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PATH = "/apis/gateway.networking.k8s.io/v1/namespaces/apis/gateways/";

/** A Kubernetes API double serving one Gateway, apis/eg, to one token. */
async function kubernetes({ gatewayApi = true, programmed = "True" } = {}) {
  server = await startTestServer((req, res) => {
    if (req.headers.authorization !== "Bearer good-token") return sendJson(res, 401, { kind: "Status", reason: "Unauthorized", code: 401 });
    if (!gatewayApi || !req.url?.startsWith(PATH)) {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("404 page not found");
    }
    const name = req.url.slice(PATH.length);
    if (name !== "eg")
      return sendJson(res, 404, {
        kind: "Status",
        reason: "NotFound",
        details: { name, group: "gateway.networking.k8s.io", kind: "gateways" },
        code: 404,
      });
    return sendJson(res, 200, {
      kind: "Gateway",
      metadata: { name },
      status: { conditions: [{ type: "Programmed", status: programmed, message: "Address pending" }] },
    });
  });
  return server;
}

const config = (url: string, extra: Record<string, unknown> = {}) => ({
  apiServerUrl: url,
  bearerToken: "good-token",
  namespace: "apis",
  gatewayName: "eg",
  ...extra,
});

describe("Envoy Gateway connection test", () => {
  it("reads the named Gateway with the bearer token", async () => {
    const s = await kubernetes();
    expect(await envoyConnector.testConnection(config(s.url), testContext())).toEqual({
      ok: true,
      message: "Found Gateway apis/eg, programmed.",
    });
    expect(s.requests[0].url).toBe(`${PATH}eg`);
  });

  it("says when the Gateway is not programmed yet", async () => {
    const s = await kubernetes({ programmed: "False" });
    expect((await envoyConnector.testConnection(config(s.url), testContext())).message).toMatch(/not programmed yet: Address pending/);
  });

  it.each([
    [{ bearerToken: "bad" }, {}, "bearerToken", /refused the bearer token/],
    [{ gatewayName: "other" }, {}, "gatewayName", /No Gateway named other in namespace apis/],
    [{}, { gatewayApi: false }, "apiServerUrl", /does not serve the Gateway API/],
  ])("maps %j onto a field", async (extra, cluster, field, message) => {
    const s = await kubernetes(cluster);
    const result = await envoyConnector.testConnection(config(s.url, extra), testContext());
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.[field]).toMatch(message);
  });

  it("blames the CA certificate when TLS fails, and the URL when nothing answers", async () => {
    const s = await kubernetes();
    const tls = await envoyConnector.testConnection(config(s.url.replace("http:", "https:")), testContext());
    expect(tls.fieldErrors?.caCertificate).toMatch(/certificate is not trusted/);
    const down = await envoyConnector.testConnection(config("https://127.0.0.1:9"), testContext());
    expect(down.fieldErrors?.apiServerUrl).toBe("Could not reach https://127.0.0.1:9: the connection was refused.");
  });
});
