import { describe, expect, it } from "vitest";
import type { Http1Request } from "../http1/server";
import { headerObject } from "../http1/parser";
import { clientResponseHeaders, upstreamRequestHead } from "./headers";

function request(raw: string[], options: { method?: string; remoteAddress?: string; trusted?: boolean } = {}): Http1Request {
  const headers = headerObject(raw);
  const length = headers["content-length"];
  return {
    method: options.method ?? "GET",
    rawHeaders: raw,
    headers,
    remoteAddress: options.remoteAddress ?? "10.0.0.9",
    fromTrustedProxy: options.trusted ?? false,
    hasBody: length !== undefined ? length !== "0" : headers["transfer-encoding"] !== undefined,
  } as unknown as Http1Request;
}

describe("upstreamRequestHead", () => {
  it("drops hop-by-hop headers, those named by Connection, and the consumed credentials", () => {
    const { head, hasLength } = upstreamRequestHead(
      request([
        "Host",
        "gw.example",
        "Connection",
        "keep-alive, x-secret-hop",
        "x-secret-hop",
        "1",
        "TE",
        "trailers",
        "Keep-Alive",
        "timeout=5",
        "Authorization",
        "Bearer abc",
        "apikey",
        "k",
        "X-Api-Key",
        "k",
        "Accept",
        "application/json",
      ]),
      "/v2/pets?x=1",
      "backend:8080",
      { stripBearer: true, stripApiKey: true },
    );
    expect(head).toBe(
      "GET /v2/pets?x=1 HTTP/1.1\r\nhost: backend:8080\r\nAccept: application/json\r\n" +
        "x-forwarded-for: 10.0.0.9\r\nx-real-ip: 10.0.0.9\r\nx-forwarded-proto: http\r\nx-forwarded-host: gw.example\r\nforwarded: for=10.0.0.9;host=gw.example;proto=http\r\nvia: 1.1 meridian\r\n",
    );
    expect(hasLength).toBe(true);
  });

  const posed = [
    "Host",
    "gw.example:8443",
    "X-Forwarded-For",
    "1.2.3.4",
    "X-Forwarded-Proto",
    "https",
    "X-Forwarded-Host",
    "evil.example",
    "Forwarded",
    "for=1.2.3.4",
    "X-Real-IP",
    "1.2.3.4",
    "Via",
    "1.1 evil",
  ];

  it("replaces every forwarding field an ordinary client sends, and keeps credentials of schemes the API does not use", () => {
    const { head } = upstreamRequestHead(request(["Authorization", "Basic dXNlcjpwdw==", ...posed]), "/", "b", {
      stripBearer: true,
      stripApiKey: false,
    });
    expect(head).toContain("Authorization: Basic dXNlcjpwdw==\r\n");
    expect(head).toContain("x-forwarded-for: 10.0.0.9\r\n");
    expect(head).toContain("x-real-ip: 10.0.0.9\r\n");
    expect(head).toContain("x-forwarded-proto: http\r\n");
    expect(head).toContain("x-forwarded-host: gw.example:8443\r\n");
    // A host with a port is not a token: quoted (RFC 7239 §4).
    expect(head).toContain('forwarded: for=10.0.0.9;host="gw.example:8443";proto=http\r\n');
    expect(head).toContain("via: 1.1 meridian\r\n");
    expect(head).not.toMatch(/1\.2\.3\.4|evil|https/);
  });

  it("keeps and extends a trusted front proxy's forwarding fields", () => {
    const { head } = upstreamRequestHead(request(posed, { trusted: true }), "/", "b", { stripBearer: true, stripApiKey: false });
    expect(head).toContain("x-forwarded-for: 1.2.3.4, 10.0.0.9\r\n");
    expect(head).toContain("x-real-ip: 1.2.3.4\r\n");
    expect(head).toContain("x-forwarded-proto: https\r\n");
    expect(head).toContain("x-forwarded-host: evil.example\r\n");
    expect(head).toContain('forwarded: for=1.2.3.4, for=10.0.0.9;host="gw.example:8443";proto=https\r\n');
    expect(head).toContain("via: 1.1 evil, 1.1 meridian\r\n");
  });

  it("writes an IPv6 client in brackets, quoted, in Forwarded", () => {
    const { head } = upstreamRequestHead(request(["Host", "gw"], { remoteAddress: "2001:db8::7" }), "/", "b", {
      stripBearer: true,
      stripApiKey: false,
    });
    expect(head).toContain('forwarded: for="[2001:db8::7]";host=gw;proto=http\r\n');
    expect(head).toContain("x-forwarded-for: 2001:db8::7\r\n");
  });

  it("takes only http or https from a trusted proxy's X-Forwarded-Proto", () => {
    const { head } = upstreamRequestHead(request(["Host", "gw", "X-Forwarded-Proto", "javascript"], { trusted: true }), "/", "b", {
      stripBearer: true,
      stripApiKey: false,
    });
    expect(head).toContain("x-forwarded-proto: http\r\n");
  });

  it("frames the body as the client did: its Content-Length, or chunked; never its Expect", () => {
    const sized = upstreamRequestHead(request(["Content-Length", "5", "Expect", "100-continue"], { method: "POST" }), "/", "b", {
      stripBearer: false,
      stripApiKey: false,
    });
    expect(sized.head).toContain("content-length: 5\r\n");
    expect(sized.head.toLowerCase()).not.toContain("expect");
    expect(sized.hasLength).toBe(true);
    const chunked = upstreamRequestHead(request(["Transfer-Encoding", "chunked"], { method: "POST" }), "/", "b", {
      stripBearer: false,
      stripApiKey: false,
    });
    expect(chunked.head).toContain("transfer-encoding: chunked\r\n");
    expect(chunked.head.match(/transfer-encoding/gi)).toHaveLength(1);
    expect(chunked.hasLength).toBe(false);
  });
});

describe("clientResponseHeaders", () => {
  it("drops hop-by-hop headers of the upstream response and those its Connection names", () => {
    expect(
      clientResponseHeaders([
        "Content-Type",
        "text/plain",
        "Connection",
        "close, x-hop",
        "x-hop",
        "1",
        "Transfer-Encoding",
        "chunked",
        "Set-Cookie",
        "a=1",
        "Set-Cookie",
        "b=2",
      ]),
    ).toEqual(["Content-Type", "text/plain", "Set-Cookie", "a=1", "Set-Cookie", "b=2"]);
  });
});
