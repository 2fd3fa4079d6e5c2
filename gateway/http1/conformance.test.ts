import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { FakeControlPlane } from "../tests/support/fake-control-plane";
import { tempDir, waitFor } from "../tests/support/harness";
import { spawnGateway, stopGateway } from "../tests/support/spawn";
import { headerValues, RawBackend, respond, type BackendRequest } from "./conformance/raw-backend";
import { exchange, header, send, type Received } from "./conformance/raw-client";

/**
 * HTTP/1.1 conformance of the gateway as it runs: the real gateway process (`npm run gateway`),
 * driven with raw sockets, in front of a raw-socket backend that records the exact bytes it
 * receives and answers with scripted bytes, however wrong.
 *
 * Each case names its reference, the behaviour of nginx (1.22, proxying with keep-alive
 * upstreams) and of `node:http` on the same bytes, checked by running them against both:
 * - [both]: nginx and node:http agree, and so does the gateway;
 * - [nginx] / [node:http]: they differ, and the gateway does what the named one does, the safer;
 * - [safer than both]: the gateway goes further (it retires a connection both would keep).
 * The rule above all of them: one client's bytes never reach another client, and no request
 * reaches the backend in a form the client did not send as one request.
 */

const backend = new RawBackend();
const cp = new FakeControlPlane();
const cacheDir = tempDir();
let gateway: { child: ChildProcess; url: string };
let port = 0;
const HEAD_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 1_500;
const UPSTREAM_TIMEOUT_MS = 3_000;

function snapshot(backendUrl: string): Snapshot {
  const methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"];
  return {
    format: 1,
    version: "1",
    generatedAt: new Date().toISOString(),
    environment: { name: "conformance", region: null },
    issuer: "https://issuer.test",
    audience: "meridian-gateways",
    jwks: { keys: [] },
    apis: [
      {
        id: "api_c",
        name: "Conformance",
        context: "/c",
        version: "v1",
        isDefaultVersion: false,
        lifecycleState: "PUBLISHED",
        revisionId: "rev_1",
        upstream: { production: backendUrl, sandbox: null, timeoutMs: UPSTREAM_TIMEOUT_MS },
        security: [],
        operations: methods.map((method) => ({ method, path: "/*" })),
      },
    ],
    subscriptions: [],
    apiKeys: [],
    revokedTokenIds: [],
    tiers: [],
    applicationPolicies: {},
  } as Snapshot;
}

beforeAll(async () => {
  await backend.start();
  await cp.start();
  cp.publish(snapshot(backend.url));
  gateway = await spawnGateway({
    MERIDIAN_GATEWAY_ENVIRONMENT: "conformance",
    MERIDIAN_CONTROL_PLANE_URL: cp.url,
    MERIDIAN_GATEWAY_TOKEN: cp.token,
    MERIDIAN_GATEWAY_CACHE_DIR: cacheDir,
    MERIDIAN_GATEWAY_INSTANCE_ID: "gw-conformance",
    MERIDIAN_GATEWAY_HEAD_TIMEOUT_MS: String(HEAD_TIMEOUT_MS),
    MERIDIAN_GATEWAY_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    // A front proxy on 127.0.0.2 is trusted; clients on 127.0.0.1 are not.
    MERIDIAN_GATEWAY_TRUSTED_PROXIES: "127.0.0.2/32",
    REDIS_URL: "",
  });
  port = Number(new URL(gateway.url).port);
  await waitFor(async () => (await fetch(`${gateway.url}/__meridian/readyz`)).status === 200, 20_000);
}, 60_000);

afterAll(async () => {
  await stopGateway(gateway.child);
  await cp.stop();
  await backend.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const HOST = "Host: gw.example\r\n";
const get = (name: string, extra = "", method = "GET") => `${method} /c/v1/${name} HTTP/1.1\r\n${HOST}${extra}\r\n`;
const post = (name: string, framing: string, body: string, extra = "") =>
  `POST /c/v1/${name} HTTP/1.1\r\n${HOST}${framing}${extra}\r\n${body}`;

function expectRefused(got: Received, status: number, code?: string): void {
  expect(got.responses[0]?.status, got.raw).toBe(status);
  expect(header(got.responses[0], "content-type")).toBe("application/problem+json");
  if (code) expect(JSON.parse(got.responses[0].body).code).toBe(code);
  expect(got.closed).toBe(true);
}

/** Nothing under `/name` reached the backend. */
function expectNothingForwarded(...names: string[]): void {
  for (const name of names) expect(backend.requests(name), name).toEqual([]);
}

/** Waits until the backend has seen `count` requests under `/name`. */
async function backendSaw(name: string, count = 1): Promise<BackendRequest[]> {
  await waitFor(() => backend.requests(name).length >= count, 3_000);
  return backend.requests(name);
}

/** The upstream connection that carried `req` carried nothing after it. */
function expectLastOnItsConnection(req: BackendRequest): void {
  const on = req.connection.requests;
  expect(on.slice(on.indexOf(req) + 1).map((r) => r.path)).toEqual([]);
}

const RESPONSE_INJECTED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Injected: 1\r\n\r\nINJECTED";

describe("request framing conflicts (smuggling)", () => {
  const cases: [string, string, string][] = [
    // [case, request, reference]
    [
      "cl-te",
      post("cl-te", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nGET /c/v1/cl-te-smuggled HTTP/1.1\r\nHost: x\r\n\r\n"),
      "both",
    ],
    [
      "te-cl",
      post(
        "te-cl",
        "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n",
        "0\r\n\r\nGET /c/v1/te-cl-smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
      ),
      "both",
    ],
    ["cl-twice-differ", post("cl-twice-differ", "Content-Length: 3\r\nContent-Length: 40\r\n", "abc"), "both"],
    ["cl-twice-same", post("cl-twice-same", "Content-Length: 3\r\nContent-Length: 3\r\n", "abc"), "both"],
    ["cl-list", post("cl-list", "Content-Length: 3, 3\r\n", "abc"), "both"],
    ["cl-plus", post("cl-plus", "Content-Length: +3\r\n", "abc"), "both"],
    ["cl-hex", post("cl-hex", "Content-Length: 0x3\r\n", "abc"), "both"],
    ["te-xchunked", post("te-xchunked", "Transfer-Encoding: xchunked\r\n", "3\r\nabc\r\n0\r\n\r\n"), "both"],
    ["te-space-before-colon", post("te-space-before-colon", "Transfer-Encoding : chunked\r\n", "3\r\nabc\r\n0\r\n\r\n"), "both"],
    ["te-chunked-not-last", post("te-chunked-not-last", "Transfer-Encoding: chunked, identity\r\n", "3\r\nabc\r\n0\r\n\r\n"), "both"],
    ["te-identity", post("te-identity", "Transfer-Encoding: identity\r\n", "abc"), "node:http (nginx answers 501)"],
    ["te-http10", "POST /c/v1/te-http10 HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "nginx (node:http accepts it)"],
    ["te-folded", post("te-folded", "Transfer-Encoding:\r\n chunked\r\n", "3\r\nabc\r\n0\r\n\r\n"), "both"],
    ["obs-fold", get("obs-fold", "X-A: 1\r\n  folded\r\n"), "both"],
    ["bare-lf-head", "GET /c/v1/bare-lf-head HTTP/1.1\nHost: gw.example\n\n", "node:http (nginx accepts bare LF)"],
    ["bare-cr-value", get("bare-cr-value", "X-A: a\rb\r\n"), "both"],
    ["nul-value", get("nul-value", "X-A: a\0b\r\n"), "both"],
    ["nul-target", "GET /c/v1/nul-target\0x HTTP/1.1\r\nHost: gw.example\r\n\r\n", "both"],
    ["space-in-name", get("space-in-name", "X A: 1\r\n"), "both"],
    ["lower-case-method", "get /c/v1/lower-case-method HTTP/1.1\r\nHost: gw.example\r\n\r\n", "both"],
  ];
  for (const [name, request, reference] of cases) {
    it(`${name}: 400, connection closed, nothing reaches the backend [${reference}]`, async () => {
      const got = await send(port, request);
      expectRefused(got, 400);
      await new Promise((r) => setTimeout(r, 50));
      expectNothingForwarded(name, `${name}-smuggled`);
    });
  }
});

describe("invalid chunked request bodies", () => {
  // The head has gone upstream before the body turns out invalid: the client gets 400 at once
  // (not after the upstream timeout) and the upstream request is cancelled.
  const cases: [string, string, string][] = [
    ["chunk-negative", "-5\r\nhello\r\n0\r\n\r\n", "both"],
    ["chunk-overflow", "FFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n", "both"],
    ["chunk-bad-extension", "5;\x01\r\nhello\r\n0\r\n\r\n", "node:http (nginx accepts it)"],
    ["chunk-space-in-size", "5 x\r\nhello\r\n0\r\n\r\n", "node:http"],
    ["chunk-longer-than-size", "3\r\nhello\r\n0\r\n\r\n", "both"],
    ["chunk-bare-lf", "5\nhello\n0\n\n", "node:http"],
  ];
  for (const [name, body, reference] of cases) {
    it(`${name}: 400 at once, the upstream request cancelled [${reference}]`, async () => {
      const started = Date.now();
      const got = await send(port, [post(name, "Transfer-Encoding: chunked\r\n", ""), body], { pauseMs: 50 });
      expectRefused(got, 400, "bad_request");
      expect(Date.now() - started).toBeLessThan(UPSTREAM_TIMEOUT_MS - 500);
      // What reached the backend, if anything, was never completed, and its connection is closed.
      for (const req of backend.requests(name)) {
        expect(req.rawBody.endsWith("0\r\n\r\n")).toBe(false);
        await waitFor(() => req.connection.closed, 2_000);
      }
    });
  }

  it("a valid chunked body with extensions is forwarded re-framed, extensions dropped [both]", async () => {
    const got = await send(port, post("chunk-valid", "Transfer-Encoding: chunked\r\n", "5;name=value\r\nhello\r\n0\r\n\r\n"), {
      responses: 1,
    });
    expect(got.responses[0].status).toBe(200);
    const [req] = await backendSaw("chunk-valid");
    expect(req.rawBody).toBe("5\r\nhello\r\n0\r\n\r\n");
  });
});

describe("header limits", () => {
  it("a head over 16 KiB: 431, nothing forwarded [both]", async () => {
    const got = await send(port, get("head-too-large", `X-Big: ${"a".repeat(17 * 1024)}\r\n`));
    expectRefused(got, 431);
    expectNothingForwarded("head-too-large");
  });

  it("100 header fields reach the backend complete and in order [both]", async () => {
    const fields = Array.from({ length: 100 }, (_, i) => `X-F${i}: v${i}\r\n`).join("");
    const got = await send(port, get("many-fields", fields), { responses: 1 });
    expect(got.responses[0].status).toBe(200);
    const [req] = await backendSaw("many-fields");
    const forwarded = req.headers.filter(([n]) => /^x-f\d/.test(n));
    expect(forwarded).toEqual(Array.from({ length: 100 }, (_, i) => [`x-f${i}`, `v${i}`]));
  });

  it("after a head with 100 fields, the next request on the connection has only its own fields and path [node:http]", async () => {
    const fields = Array.from({ length: 100 }, (_, i) => `X-G${i}: v${i}\r\n`).join("");
    const got = await send(port, get("many-then-few/1", fields) + get("many-then-few/2", "X-Own: 1\r\n"), { responses: 2 });
    expect(got.responses.map((r) => r.body)).toEqual(["/many-then-few/1", "/many-then-few/2"]);
    const [, second] = await backendSaw("many-then-few", 2);
    expect(second.path).toBe("/many-then-few/2");
    expect(second.headers.filter(([n]) => n.startsWith("x-g"))).toEqual([]);
    expect(headerValues(second, "x-own")).toEqual(["1"]);
  });

  it("a head split into single bytes is read whole [both]", async () => {
    const request = get("byte-by-byte", "X-A: 1\r\n");
    const got = await send(port, [...request], { responses: 1 });
    expect(got.responses[0]?.body).toBe("/byte-by-byte");
  });
});

describe("Host", () => {
  it("HTTP/1.1 without Host: 400, nothing forwarded [both]", async () => {
    expectRefused(await send(port, "GET /c/v1/no-host HTTP/1.1\r\n\r\n"), 400, "invalid_host");
    expectNothingForwarded("no-host");
  });

  it("two Host fields: 400, nothing forwarded [nginx; node:http keeps the first]", async () => {
    expectRefused(await send(port, `GET /c/v1/two-hosts HTTP/1.1\r\n${HOST}Host: other.example\r\n\r\n`), 400, "invalid_host");
    expectNothingForwarded("two-hosts");
  });

  it("a Host that is not a host name: 400 [nginx; node:http accepts it]", async () => {
    expectRefused(await send(port, "GET /c/v1/bad-host HTTP/1.1\r\nHost: a b/c\r\n\r\n"), 400, "invalid_host");
    expectNothingForwarded("bad-host");
  });

  it("HTTP/1.0 without Host is served [both]", async () => {
    const got = await send(port, "GET /c/v1/http10-no-host HTTP/1.0\r\n\r\n");
    expect(got.responses[0]?.status).toBe(200);
  });

  it("the backend gets its own Host; the client's goes in X-Forwarded-Host [nginx with the usual proxy_set_header]", async () => {
    await send(port, get("host-rewrite").replace(HOST, "Host: public.example:8443\r\n"), { responses: 1 });
    const [req] = await backendSaw("host-rewrite");
    expect(headerValues(req, "host")).toEqual([`127.0.0.1:${backend.port}`]);
    expect(headerValues(req, "x-forwarded-host")).toEqual(["public.example:8443"]);
  });
});

describe("pipelining", () => {
  it("three requests in one write: three answers in order, each request forwarded once [both]", async () => {
    const got = await send(port, get("pipe/1") + get("pipe/2") + get("pipe/3"), { responses: 3 });
    expect(got.responses.map((r) => r.body)).toEqual(["/pipe/1", "/pipe/2", "/pipe/3"]);
    // Each went upstream once (over whichever pooled connections were free).
    expect((await backendSaw("pipe", 3)).map((r) => r.path).sort()).toEqual(["/pipe/1", "/pipe/2", "/pipe/3"]);
  });

  it("a slow first answer keeps its place before a fast second one [both]", async () => {
    backend.script("pipe-slow", (req) => setTimeout(() => respond(req, 200, "slow"), 300));
    const got = await send(port, get("pipe-slow") + get("pipe-fast"), { responses: 2 });
    expect(got.responses.map((r) => r.body)).toEqual(["slow", "/pipe-fast"]);
  });

  it("a body request then a GET, pipelined [both]", async () => {
    const got = await send(port, post("pipe-post", "Content-Length: 5\r\n", "hello") + get("pipe-after-post"), { responses: 2 });
    expect(got.responses.map((r) => r.body)).toEqual(["/pipe-post", "/pipe-after-post"]);
    const [req] = await backendSaw("pipe-post");
    expect(req.rawBody).toBe("hello");
  });
});

describe("upstream connection reuse", () => {
  it("a connection whose answers end exactly is used again, across clients [both]", async () => {
    await send(port, get("reuse/1"), { responses: 1 });
    await new Promise((r) => setTimeout(r, 20));
    await send(port, get("reuse/2"), { responses: 1 });
    const [a, b] = await backendSaw("reuse", 2);
    expect(b.connection).toBe(a.connection);
  });
});

describe("misbehaving upstream responses", () => {
  /**
   * The upstream answers `name` with `answer`; the client pipelines a second request behind it,
   * and a second client then asks for its own path. Neither may receive anything but the answer
   * to its own request, and the connection that carried the bad answer carries nothing more.
   */
  async function afterBadAnswer(name: string, answer: string, method = "GET"): Promise<Received> {
    backend.script(name, (req) => req.connection.socket.write(answer, "latin1"));
    const got = await send(port, get(name, "", method) + get(`${name}-next`), { responses: 2, methods: [method, "GET"] });
    const other = await send(port, get(`${name}-other`), { responses: 1 });
    expect(got.responses[1]?.body).toBe(`/${name}-next`);
    expect(other.responses[0]?.body).toBe(`/${name}-other`);
    expect(got.raw + other.raw).not.toContain("INJECTED");
    expect(got.raw + other.raw).not.toMatch(/x-injected/i);
    const [bad] = await backendSaw(name);
    expectLastOnItsConnection(bad);
    await waitFor(() => bad.connection.closed, 2_000);
    return got;
  }

  it("HEAD answered with a length and a whole extra response behind it [nginx: it retires the connection too]", async () => {
    const got = await afterBadAnswer(
      "head-extra",
      `HTTP/1.1 200 OK\r\nContent-Length: ${RESPONSE_INJECTED.length}\r\n\r\n${RESPONSE_INJECTED}`,
      "HEAD",
    );
    expect(got.responses[0].status).toBe(200);
    expect(header(got.responses[0], "content-length")).toBe(String(RESPONSE_INJECTED.length));
  });

  it("204 with a body [both]", async () => {
    const got = await afterBadAnswer("no-content-body", `HTTP/1.1 204 No Content\r\n\r\n${RESPONSE_INJECTED}`);
    expect(got.responses[0].status).toBe(204);
  });

  it("304 with a body [both]", async () => {
    const got = await afterBadAnswer("not-modified-body", `HTTP/1.1 304 Not Modified\r\n\r\n${RESPONSE_INJECTED}`);
    expect(got.responses[0].status).toBe(304);
  });

  it("Content-Length: 0 with bytes behind it [both]", async () => {
    const got = await afterBadAnswer("zero-length-extra", `HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n${RESPONSE_INJECTED}`);
    expect(got.responses[0].body).toBe("");
  });

  it("a chunked response with a response behind it [both]", async () => {
    const got = await afterBadAnswer(
      "chunked-extra",
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n${RESPONSE_INJECTED}`,
    );
    expect(got.responses[0].body).toBe("ok");
  });

  it("an empty line behind a sized response [safer than both: the connection is retired]", async () => {
    await afterBadAnswer("length-crlf", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\r\n");
  });

  it("a length shorter than the body [both]", async () => {
    const got = await afterBadAnswer("length-short", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhello");
    expect(got.responses[0].body).toBe("he");
  });

  it("extra bytes arriving after the response, on the idle connection [both]", async () => {
    backend.script("late-extra", (req) => {
      req.connection.socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "latin1");
      setTimeout(() => req.connection.socket.write(RESPONSE_INJECTED, "latin1"), 100);
    });
    const first = await send(port, get("late-extra"), { responses: 1 });
    expect(first.responses[0].body).toBe("ok");
    await new Promise((r) => setTimeout(r, 300));
    const second = await send(port, get("late-extra-next"), { responses: 1 });
    expect(second.responses[0].body).toBe("/late-extra-next");
    const [bad] = backend.requests("late-extra");
    expectLastOnItsConnection(bad);
    expect(bad.connection.closed).toBe(true);
  });

  it("a length longer than the body, then the upstream closes: the client's connection is cut [both]", async () => {
    backend.script("length-long", (req) => req.connection.socket.end("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", "latin1"));
    const got = await send(port, get("length-long"));
    expect(got.closed).toBe(true);
    expect(got.responses).toEqual([]);
    expect(got.raw).toMatch(/^HTTP\/1\.1 200 /);
    expect(got.raw).toContain("content-length: 10");
  });

  it("100 Continue and 103 Early Hints before the answer: only the final answer is relayed [node:http's client reports only it]", async () => {
    backend.script("informational", (req) =>
      req.connection.socket.write(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal",
        "latin1",
      ),
    );
    const got = await send(port, get("informational"), { responses: 1 });
    expect(got.responses.map((r) => r.status)).toEqual([200]);
    expect(got.responses[0].body).toBe("final");
  });

  const broken: [string, string][] = [
    ["switching-unasked", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n"],
    ["response-cl-te", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"],
    ["response-two-lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"],
    ["response-bare-lf", "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello"],
    ["response-bare-cr", "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 5\r\n\r\nhello"],
    ["response-nul", "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 5\r\n\r\nhello"],
    ["response-obs-fold", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 5\r\n\r\nhello"],
    ["response-bad-status", "HTTP/1.1 2x0 OK\r\nContent-Length: 5\r\n\r\nhello"],
    ["response-bad-name", "HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 5\r\n\r\nhello"],
  ];
  for (const [name, answer] of broken) {
    it(`${name}: 502, and the connection is not used again [both]`, async () => {
      backend.script(name, (req) => req.connection.socket.write(answer, "latin1"));
      const got = await send(port, get(name), { responses: 1 });
      expect(got.responses[0]?.status, got.raw).toBe(502);
      expect(got.raw).not.toContain("hello");
      const [req] = await backendSaw(name);
      await waitFor(() => req.connection.closed, 2_000);
    });
  }

  it("an invalid chunk after the head was relayed: the client's connection is cut, the upstream's retired [both]", async () => {
    backend.script("response-bad-chunk", (req) =>
      req.connection.socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", "latin1"),
    );
    const got = await send(port, get("response-bad-chunk"));
    expect(got.closed).toBe(true);
    expect(got.responses).toEqual([]);
    expect(got.raw).not.toContain("hello");
    const [req] = await backendSaw("response-bad-chunk");
    await waitFor(() => req.connection.closed, 2_000);
  });

  it("a body delimited by the end of the connection is relayed whole, chunked to the client [both]", async () => {
    backend.script("until-close", (req) =>
      req.connection.socket.end("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nthe whole body", "latin1"),
    );
    const got = await send(port, get("until-close"), { responses: 1 });
    expect(got.responses[0].body).toBe("the whole body");
    expect(header(got.responses[0], "transfer-encoding")).toBe("chunked");
  });
});

describe("trailers", () => {
  it("an upstream's trailer reaches neither its client's response nor the next client's [nginx drops them]", async () => {
    backend.script("trailer-response", (req) =>
      req.connection.socket.write(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Secret\r\n\r\n2\r\nok\r\n0\r\nX-Secret: for-client-a\r\n\r\n",
        "latin1",
      ),
    );
    backend.script("trailer-many-fields", (req) =>
      req.connection.socket.write(
        `HTTP/1.1 200 OK\r\n${Array.from({ length: 40 }, (_, i) => `X-R${i}: ${i}\r\n`).join("")}Content-Length: 2\r\n\r\nok`,
        "latin1",
      ),
    );
    const a = await send(port, get("trailer-response"), { responses: 1 });
    expect(a.responses[0].body).toBe("ok");
    // The next responses on the same upstream connection: a short head and a head of 40 fields.
    const b = await send(port, get("trailer-next"), { responses: 1 });
    const c = await send(port, get("trailer-many-fields"), { responses: 1 });
    expect(a.raw + b.raw + c.raw).not.toContain("for-client-a");
    expect(b.responses[0].body).toBe("/trailer-next");
    expect(c.responses[0].headers.filter(([n]) => n.startsWith("x-r"))).toHaveLength(40);
    expect(c.responses[0].headers.map(([n]) => n)).not.toContain("x-secret");
    // A body that ended in trailers cannot be shown to have ended at the end of the read: its
    // connection is retired (the cost of a rare case, for a rule without exceptions).
    const [first] = backend.requests("trailer-response");
    expectLastOnItsConnection(first);
  });

  it("a request trailer is dropped and never becomes a field (or the path) of the next request [nginx drops them]", async () => {
    const many = Array.from({ length: 40 }, (_, i) => `X-M${i}: ${i}\r\n`).join("");
    const got = await send(
      port,
      post("req-trailer/1", "Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-Trailer: t1\r\n\r\n") +
        get("req-trailer/2") +
        post("req-trailer/3", "Transfer-Encoding: chunked\r\n", "2\r\nhi\r\n0\r\nX-Trailer: t3\r\n\r\n") +
        get("req-trailer/4", many),
      { responses: 4 },
    );
    expect(got.responses.map((r) => r.body)).toEqual(["/req-trailer/1", "/req-trailer/2", "/req-trailer/3", "/req-trailer/4"]);
    // Each request went upstream once, as its own (the order across pooled connections may differ).
    const seen = (await backendSaw("req-trailer", 4)).sort((a, b) => a.path.localeCompare(b.path));
    expect(seen.map((r) => r.path)).toEqual(["/req-trailer/1", "/req-trailer/2", "/req-trailer/3", "/req-trailer/4"]);
    for (const req of seen) expect(headerValues(req, "x-trailer")).toEqual([]);
    expect(seen[0].rawBody).toBe("5\r\nhello\r\n0\r\n\r\n");
    expect(seen[3].headers.filter(([n]) => n.startsWith("x-m"))).toHaveLength(40);
  });
});

describe("hop-by-hop fields", () => {
  it("the client's hop-by-hop fields stop at the gateway [both]", async () => {
    const extra =
      "Connection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic eA==\r\nProxy-Connection: keep-alive\r\nTrailer: X-T\r\nX-End-To-End: kept\r\n";
    await send(port, get("hop-request", extra), { responses: 1 });
    const [req] = await backendSaw("hop-request");
    const names = req.headers.map(([n]) => n);
    for (const hop of ["x-hop", "keep-alive", "te", "proxy-authorization", "proxy-connection", "trailer", "upgrade"])
      expect(names).not.toContain(hop);
    expect(headerValues(req, "connection")).toEqual([]);
    expect(headerValues(req, "x-end-to-end")).toEqual(["kept"]);
  });

  it("the upstream's hop-by-hop fields stop at the gateway [both]", async () => {
    backend.script("hop-response", (req) =>
      respond(req, 200, "ok", [
        "Connection: X-Up",
        "X-Up: 1",
        "Keep-Alive: timeout=5",
        "Proxy-Authenticate: Basic",
        "Trailer: X-T",
        "Upgrade: h2c",
        "X-End-To-End: kept",
      ]),
    );
    const got = await send(port, get("hop-response"), { responses: 1 });
    const names = got.responses[0].headers.map(([n]) => n);
    for (const hop of ["x-up", "keep-alive", "proxy-authenticate", "trailer", "upgrade"]) expect(names).not.toContain(hop);
    expect(header(got.responses[0], "x-end-to-end")).toBe("kept");
  });

  it("Upgrade from a client: 501, nothing forwarded [safer than both: nginx forwards it as a plain request, node:http calls the listener]", async () => {
    expectRefused(await send(port, get("upgrade", "Connection: Upgrade\r\nUpgrade: websocket\r\n")), 501);
    expectNothingForwarded("upgrade");
  });
});

describe("forwarding fields", () => {
  const posed =
    "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\nForwarded: for=203.0.113.9;proto=https\r\nX-Real-IP: 203.0.113.9\r\nVia: 1.1 evil\r\n";

  it("a client cannot pose as another address, scheme or host: every forwarding field is the gateway's [nginx with the usual proxy_set_header]", async () => {
    await send(port, get("forwarded-untrusted", posed), { responses: 1 });
    const [req] = await backendSaw("forwarded-untrusted");
    expect(headerValues(req, "x-forwarded-for")).toEqual(["127.0.0.1"]);
    expect(headerValues(req, "x-real-ip")).toEqual(["127.0.0.1"]);
    expect(headerValues(req, "x-forwarded-proto")).toEqual(["http"]);
    expect(headerValues(req, "x-forwarded-host")).toEqual(["gw.example"]);
    expect(headerValues(req, "forwarded")).toEqual(["for=127.0.0.1;host=gw.example;proto=http"]);
    expect(headerValues(req, "via")).toEqual(["1.1 meridian"]);
  });

  it("a trusted front proxy's fields are kept and extended (MERIDIAN_GATEWAY_TRUSTED_PROXIES) [nginx realip with set_real_ip_from]", async () => {
    await send(port, get("forwarded-trusted", posed), { responses: 1, localAddress: "127.0.0.2" });
    const [req] = await backendSaw("forwarded-trusted");
    expect(headerValues(req, "x-forwarded-for")).toEqual(["203.0.113.9, 127.0.0.2"]);
    expect(headerValues(req, "x-real-ip")).toEqual(["203.0.113.9"]);
    expect(headerValues(req, "x-forwarded-proto")).toEqual(["https"]);
    expect(headerValues(req, "x-forwarded-host")).toEqual(["evil.example"]);
    expect(headerValues(req, "forwarded")).toEqual(["for=203.0.113.9;proto=https, for=127.0.0.2;host=gw.example;proto=https"]);
    expect(headerValues(req, "via")).toEqual(["1.1 evil, 1.1 meridian"]);
  });
});

describe("slow clients", () => {
  it("a head arriving in pieces within the head timeout is served [both]", async () => {
    const request = get("slow-head-ok");
    const pieces = [request.slice(0, 10), request.slice(10, 20), request.slice(20, 30), request.slice(30)];
    const got = await send(port, pieces, { pauseMs: HEAD_TIMEOUT_MS / 8, responses: 1 });
    expect(got.responses[0]?.body).toBe("/slow-head-ok");
  });

  it("a head that never completes: 408 after the head timeout, nothing forwarded [both]", async () => {
    const started = Date.now();
    const got = await send(port, "GET /c/v1/slow-head-never HTTP/1.1\r\nHost: gw", { timeoutMs: HEAD_TIMEOUT_MS * 4 });
    expectRefused(got, 408, "request_timeout");
    // The layer's clock is coarse (100 ms ticks): a deadline may fall up to one tick early.
    expect(Date.now() - started).toBeGreaterThanOrEqual(HEAD_TIMEOUT_MS - 200);
    expectNothingForwarded("slow-head-never");
  });

  it("a body that stops: 408 after the request timeout, the upstream request cancelled [both]", async () => {
    backend.script("slow-body", { onHead: () => true });
    const got = await send(port, post("slow-body", "Content-Length: 10\r\n", "hello"), { timeoutMs: REQUEST_TIMEOUT_MS * 4 });
    expectRefused(got, 408, "request_timeout");
    const [req] = await backendSaw("slow-body");
    await waitFor(() => req.connection.closed, 2_000);
  });
});

describe("a client that stops reading", () => {
  it("holds the upstream back instead of buffering its response, and other clients are served meanwhile [both]", async () => {
    const chunk = "x".repeat(64 * 1024);
    const total = 64 * 1024 * 1024;
    let written = 0;
    let upstream: BackendRequest | null = null;
    backend.script("no-reader", (req) => {
      upstream = req;
      const socket = req.connection.socket;
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${total}\r\n\r\n`);
      const pump = () => {
        while (written < total && !socket.destroyed) {
          written += chunk.length;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
      };
      pump();
    });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const socket = net.connect({ port, host: "127.0.0.1" });
    await new Promise((r) => socket.once("connect", r));
    const pending = exchange(socket, [get("no-reader")], { holdReading: held, timeoutMs: 4_000 });
    await new Promise((r) => setTimeout(r, 1_500));
    // Socket buffers on both sides hold a few MiB at most; the rest waits in the upstream.
    expect(written).toBeLessThan(24 * 1024 * 1024);
    const other = await send(port, get("while-held"), { responses: 1 });
    expect(other.responses[0].body).toBe("/while-held");
    socket.destroy();
    release();
    await pending;
    await waitFor(() => upstream!.connection.closed, 3_000);
  });
});
