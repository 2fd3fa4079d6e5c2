import { describe, expect, it } from "vitest";
import {
  assertParserContract,
  createParser,
  headerObject,
  lowerName,
  METHODS,
  PartialHead,
  REQUEST,
  RESPONSE,
  type ParserHooks,
  type RawHeaders,
} from "./parser";

interface Parsed {
  method: string | undefined;
  url: string;
  status: number | undefined;
  minor: number;
  headers: RawHeaders;
  shouldKeepAlive: boolean;
  upgrade: boolean;
  /** The head came in pieces through the parser's kOnHeaders (PartialHead). */
  inPieces: boolean;
}

/** Records what the parser reports; `skipBody` is what headers-complete answers (1: no body, as for HEAD). */
function recorder(partial: PartialHead, skipBody = 0) {
  const heads: Parsed[] = [];
  const bodies: Buffer[][] = [];
  let completed = 0;
  const hooks: ParserHooks = {
    onHeadersComplete(_major, minor, headers, method, url, status, _message, upgrade, shouldKeepAlive) {
      const inPieces = headers === undefined;
      if (headers === undefined || url === undefined) {
        const taken = partial.take();
        headers ??= taken.headers;
        url ??= taken.url;
      }
      heads.push({
        method: method === undefined ? undefined : METHODS[method],
        url,
        status,
        minor,
        headers,
        shouldKeepAlive,
        upgrade,
        inPieces,
      });
      bodies.push([]);
      return skipBody;
    },
    onBody(chunk) {
      bodies[bodies.length - 1].push(chunk);
    },
    onMessageComplete() {
      completed++;
    },
  };
  return { hooks, heads, bodies, completed: () => completed };
}

function feed(parser: ReturnType<typeof createParser>, data: Buffer, size: number): void {
  for (let i = 0; i < data.length; i += size) {
    const result = parser.execute(data.subarray(i, i + size));
    if (typeof result !== "number") throw result;
  }
}

describe("parser contract", () => {
  it("holds on this Node.js", () => {
    expect(() => assertParserContract()).not.toThrow();
    expect(METHODS).toContain("GET");
    expect(METHODS).toContain("POST");
    expect(METHODS).toContain("HEAD");
    expect(typeof REQUEST).toBe("number");
    expect(typeof RESPONSE).toBe("number");
    expect(REQUEST).not.toBe(RESPONSE);
  });

  it("hands body bytes over as a copy, not as a view of the input (the upstream client reuses one read buffer)", () => {
    const chunks: Buffer[] = [];
    const hooks: ParserHooks = { onHeadersComplete: () => 0, onBody: (chunk) => void chunks.push(chunk), onMessageComplete() {} };
    const input = Buffer.from("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n0123456789");
    createParser(RESPONSE, hooks, new PartialHead()).execute(input);
    input.fill(0x58);
    expect(chunks.map((c) => c.toString())).toEqual(["0123456789"]);
  });
});

describe("headerObject", () => {
  it("lower-cases names and joins repeated values with a comma", () => {
    expect(headerObject(["Accept", "text/html", "X-Trace", "a", "ACCEPT", "application/json", "x-trace", "b"])).toEqual({
      accept: "text/html, application/json",
      "x-trace": "a, b",
    });
  });

  it("keeps set-cookie as a list, even with one value", () => {
    expect(headerObject(["Set-Cookie", "a=1"])).toEqual({ "set-cookie": ["a=1"] });
    expect(headerObject(["Set-Cookie", "a=1; Path=/", "set-cookie", "b=2"])).toEqual({ "set-cookie": ["a=1; Path=/", "b=2"] });
  });

  it("keeps the first of a repeated singleton header", () => {
    const headers = headerObject([
      "Content-Length",
      "5",
      "Host",
      "a.example",
      "content-length",
      "7",
      "HOST",
      "b.example",
      "Authorization",
      "Bearer 1",
      "authorization",
      "Bearer 2",
    ]);
    expect(headers["content-length"]).toBe("5");
    expect(headers.host).toBe("a.example");
    expect(headers.authorization).toBe("Bearer 1");
  });

  it("gives an empty object for no headers, and keeps empty values", () => {
    expect(headerObject([])).toEqual({});
    expect(headerObject(["X-Empty", ""])).toEqual({ "x-empty": "" });
  });

  it("lowerName lower-cases, the same way every time", () => {
    expect(lowerName("X-Request-ID")).toBe("x-request-id");
    expect(lowerName("X-Request-ID")).toBe("x-request-id");
    expect(lowerName("accept")).toBe("accept");
  });
});

describe("PartialHead", () => {
  it("gathers headers and URL pieces, and is empty once taken", () => {
    const partial = new PartialHead();
    partial.add(["A", "1"], "/pa");
    partial.add(["B", "2"], "th?q=1");
    expect(partial.take()).toEqual({ headers: ["A", "1", "B", "2"], url: "/path?q=1" });
    expect(partial.take()).toEqual({ headers: [], url: "" });
  });
});

describe("createParser", () => {
  it("parses a request fed one byte at a time, heads of many headers included", () => {
    // Over 32 headers: the parser hands the first ones out early (through PartialHead).
    const names = Array.from({ length: 40 }, (_, i) => `X-Header-${i}`);
    const head = `POST /upload/a%20b?x=1&y=2 HTTP/1.1\r\nHost: api.example\r\n${names.map((n, i) => `${n}: value ${i}\r\n`).join("")}Transfer-Encoding: chunked\r\n\r\n`;
    const body = "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";
    const partial = new PartialHead();
    const rec = recorder(partial);
    const parser = createParser(REQUEST, rec.hooks, partial);
    feed(parser, Buffer.from(head + body), 1);

    expect(rec.heads).toHaveLength(1);
    const [parsed] = rec.heads;
    expect(parsed.inPieces).toBe(true);
    expect(parsed.method).toBe("POST");
    expect(parsed.url).toBe("/upload/a%20b?x=1&y=2");
    expect(parsed.minor).toBe(1);
    expect(parsed.shouldKeepAlive).toBe(true);
    expect(parsed.headers).toHaveLength(2 * 42);
    expect(parsed.headers.slice(0, 4)).toEqual(["Host", "api.example", "X-Header-0", "value 0"]);
    expect(parsed.headers.slice(-4)).toEqual(["X-Header-39", "value 39", "Transfer-Encoding", "chunked"]);
    expect(Buffer.concat(rec.bodies[0]).toString()).toBe("hello, world");
    expect(rec.completed()).toBe(1);
    expect(partial.take()).toEqual({ headers: [], url: "" });
  });

  it("parses two pipelined requests split at odd places", () => {
    const partial = new PartialHead();
    const rec = recorder(partial);
    const parser = createParser(REQUEST, rec.hooks, partial);
    const data = Buffer.from("PUT /one HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /two HTTP/1.0\r\nHost: b\r\n\r\n");
    feed(parser, data, 7);
    expect(rec.heads.map((h) => [h.method, h.url, h.minor, h.shouldKeepAlive])).toEqual([
      ["PUT", "/one", 1, true],
      ["GET", "/two", 0, false],
    ]);
    expect(Buffer.concat(rec.bodies[0]).toString()).toBe("abc");
    expect(rec.bodies[1]).toEqual([]);
    expect(rec.completed()).toBe(2);
  });

  it("reports an upgrade request", () => {
    const partial = new PartialHead();
    const rec = recorder(partial);
    const parser = createParser(REQUEST, rec.hooks, partial);
    const result = parser.execute(Buffer.from("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"));
    expect(typeof result).toBe("number");
    expect(rec.heads[0].upgrade).toBe(true);
  });

  it("parses a response; headers-complete answering 1 skips the body (a response to HEAD)", () => {
    const partial = new PartialHead();
    const rec = recorder(partial, 1);
    const parser = createParser(RESPONSE, rec.hooks, partial);
    // With the body skipped, the next response follows the head at once.
    feed(parser, Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\n"), 3);
    expect(rec.heads.map((h) => h.status)).toEqual([200, 404]);
    expect(rec.bodies).toEqual([[], []]);
    expect(rec.completed()).toBe(2);
  });

  it("is strict: conflicting framing, bare LF, obsolete folding and bad names are errors", () => {
    const bad = [
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "GET / HTTP/1.1\nHost: a\n\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX-Folded: a\r\n b\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n",
    ];
    for (const request of bad) {
      const partial = new PartialHead();
      const rec = recorder(partial);
      const result = createParser(REQUEST, rec.hooks, partial).execute(Buffer.from(request));
      expect(result, JSON.stringify(request)).toBeInstanceOf(Error);
      expect((result as Error & { code: string }).code).toMatch(/^HPE_/);
    }
  });

  it("refuses line breaks and control characters in response header names and values", () => {
    // The server sends an upstream's header pairs on unchecked: this is what makes that safe.
    const values = ["a\rSet-Cookie: x=1", "a\nSet-Cookie: x=1", "a\0b", "a\x01b", "a\x7fb"];
    const names = ["X\rY", "X Y", "X\0", "X\nSet-Cookie"];
    const responses = [
      ...values.map((v) => `HTTP/1.1 200 OK\r\nX-Test: ${v}\r\nContent-Length: 0\r\n\r\n`),
      ...names.map((n) => `HTTP/1.1 200 OK\r\n${n}: v\r\nContent-Length: 0\r\n\r\n`),
    ];
    for (const response of responses) {
      const partial = new PartialHead();
      const rec = recorder(partial);
      const result = createParser(RESPONSE, rec.hooks, partial).execute(Buffer.from(response, "latin1"));
      expect(result, JSON.stringify(response)).toBeInstanceOf(Error);
      expect(rec.heads).toHaveLength(0);
    }
  });

  it("refuses a head larger than the limit it was given", () => {
    const partial = new PartialHead();
    const rec = recorder(partial);
    const parser = createParser(REQUEST, rec.hooks, partial, 1024);
    const result = parser.execute(Buffer.from(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${"x".repeat(2048)}\r\n\r\n`));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error & { code: string }).code).toBe("HPE_HEADER_OVERFLOW");
    expect(rec.heads).toHaveLength(0);
  });
});
