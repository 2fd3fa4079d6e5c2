import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientResponseHeaders, upstreamRequestHeaders } from "./headers";

function request(headers: Record<string, string>, remoteAddress = "10.0.0.9"): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe("upstreamRequestHeaders", () => {
  it("drops hop-by-hop headers, those named by Connection, and the consumed credentials", () => {
    const out = upstreamRequestHeaders(
      request({ host: "gw.example", connection: "keep-alive, x-secret-hop", "x-secret-hop": "1", te: "trailers", "keep-alive": "timeout=5", authorization: "Bearer abc", apikey: "k", "x-api-key": "k", accept: "application/json" }),
      { stripBearer: true, stripApiKey: true },
    );
    expect(out).toEqual({ accept: "application/json", "x-forwarded-for": "10.0.0.9", "x-forwarded-proto": "http", "x-forwarded-host": "gw.example" });
  });

  it("keeps credentials of schemes the API does not use, and appends to X-Forwarded-For", () => {
    const out = upstreamRequestHeaders(request({ authorization: "Basic dXNlcjpwdw==", "x-forwarded-for": "1.2.3.4", "x-forwarded-proto": "https" }), { stripBearer: true, stripApiKey: false });
    expect(out.authorization).toBe("Basic dXNlcjpwdw==");
    expect(out["x-forwarded-for"]).toBe("1.2.3.4, 10.0.0.9");
    expect(out["x-forwarded-proto"]).toBe("http");
  });
});

describe("clientResponseHeaders", () => {
  it("drops hop-by-hop headers of the upstream response", () => {
    expect(clientResponseHeaders({ "content-type": "text/plain", connection: "close", "transfer-encoding": "chunked", "set-cookie": ["a=1", "b=2"] })).toEqual({ "content-type": "text/plain", "set-cookie": ["a=1", "b=2"] });
  });
});
