import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseOrigin, UpstreamClient, type BodySource, type ClientOptions, type Exchange, type UpstreamError } from "./client";
import type { RawHeaders } from "./parser";
import type { BodySink } from "./server";

const OPTIONS: ClientOptions = { connectTimeoutMs: 1000, headersTimeoutMs: 2000, bodyTimeoutMs: 2000, keepAliveTimeoutMs: 5000 };

const clients: UpstreamClient[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function newClient(options: Partial<ClientOptions> = {}): UpstreamClient {
  const client = new UpstreamClient({ ...OPTIONS, ...options });
  clients.push(client);
  return client;
}

interface Upstream {
  url: string;
  /** Connections the server accepted. */
  connections: () => number;
}

async function httpUpstream(handler: http.RequestListener): Promise<Upstream> {
  const server = http.createServer(handler);
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, connections: () => connections };
}

/** A server speaking raw bytes, for upstream behaviour node:http would not produce. */
async function rawUpstream(onSocket: (socket: net.Socket, index: number) => void): Promise<Upstream> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onSocket(socket, connections++);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, connections: () => connections };
}

/** Calls `onRequest` with each request head a raw connection receives (bodies are not expected). */
function eachHead(socket: net.Socket, onRequest: (head: string, n: number) => void): void {
  let buffered = "";
  let n = 0;
  socket.setEncoding("latin1");
  socket.on("data", (data: string) => {
    buffered += data;
    let end;
    while ((end = buffered.indexOf("\r\n\r\n")) >= 0) {
      const head = buffered.slice(0, end);
      buffered = buffered.slice(end + 4);
      onRequest(head, n++);
    }
  });
}

interface Outcome {
  status: number;
  headers: Record<string, string>;
  rawHeaders: RawHeaders;
  body: Buffer;
  error: UpstreamError | null;
  /** Calls of onHead, onEnd and onError: each must happen at most once. */
  heads: number;
  ends: number;
  errors: number;
}

interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: BodySource | null;
  bodyHasLength?: boolean;
  bodyLength?: number;
  headersTimeoutMs?: number;
  onData?: (chunk: Buffer, exchange: Exchange) => boolean;
}

function call(client: UpstreamClient, url: string, options: CallOptions = {}): { exchange: Exchange; done: Promise<Outcome> } {
  const target = new URL(url);
  const origin = parseOrigin(target.origin);
  const method = options.method ?? "GET";
  let head = `${method} ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${origin.hostHeader}\r\n`;
  for (const [name, value] of Object.entries(options.headers ?? {})) head += `${name}: ${value}\r\n`;
  const body = options.body ?? null;
  const bodyHasLength = options.bodyHasLength ?? true;
  if (body) head += bodyHasLength ? `content-length: ${options.bodyLength}\r\n` : "transfer-encoding: chunked\r\n";
  const outcome: Outcome = { status: 0, headers: {}, rawHeaders: [], body: Buffer.alloc(0), error: null, heads: 0, ends: 0, errors: 0 };
  const chunks: Buffer[] = [];
  let exchange: Exchange | null = null;
  let settle: (o: Outcome) => void = () => {};
  const done = new Promise<Outcome>((resolve) => (settle = resolve));
  exchange = client.request(
    { origin, method, head, body, bodyHasLength, headersTimeoutMs: options.headersTimeoutMs },
    {
      onHead(status, headers) {
        outcome.heads++;
        outcome.status = status;
        outcome.rawHeaders = headers;
        for (let i = 0; i < headers.length; i += 2) outcome.headers[headers[i].toLowerCase()] = headers[i + 1];
      },
      onData(chunk) {
        chunks.push(Buffer.from(chunk));
        return options.onData ? options.onData(chunk, exchange!) : true;
      },
      onEnd() {
        outcome.ends++;
        outcome.body = Buffer.concat(chunks);
        // The caller comes back on a later turn of the event loop, as the gateway's next request
        // does (a connection released in one turn is handed out from the next).
        setImmediate(() => settle(outcome));
      },
      onError(error) {
        outcome.errors++;
        outcome.error = error;
        outcome.body = Buffer.concat(chunks);
        settle(outcome);
      },
    },
  );
  return { exchange, done };
}

const get = (client: UpstreamClient, url: string, options: CallOptions = {}) => call(client, url, options).done;

/** A body source over fixed chunks; it stops when the sink says so and goes on at `resume`. */
function source(chunks: Buffer[], delayMs = 0): BodySource & { pauses: number } {
  let sink: BodySink | null = null;
  let i = 0;
  let ended = false;
  let waiting = false;
  const state = {
    pauses: 0,
    pipe(s: BodySink) {
      sink = s;
      pump();
    },
    resume() {
      if (waiting) {
        waiting = false;
        pump();
      }
    },
  };
  function pump(): void {
    while (sink && i < chunks.length) {
      const chunk = chunks[i++];
      if (delayMs > 0) {
        sink.write(chunk);
        setTimeout(pump, delayMs);
        return;
      }
      if (!sink.write(chunk)) {
        state.pauses++;
        waiting = true;
        return;
      }
    }
    if (sink && !ended) {
      ended = true;
      sink.end();
    }
  }
  return state;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const digest = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("UpstreamClient: responses", () => {
  it("reuses one keep-alive connection for sequential requests", async () => {
    const upstream = await httpUpstream((req, res) => res.end(`hello ${req.url}`));
    const client = newClient();
    const first = await get(client, `${upstream.url}/one`);
    const second = await get(client, `${upstream.url}/two?x=1`);
    expect([first.status, first.body.toString(), first.error]).toEqual([200, "hello /one", null]);
    expect([second.status, second.body.toString(), second.error]).toEqual([200, "hello /two?x=1", null]);
    expect(upstream.connections()).toBe(1);
  });

  it("opens a second connection for a concurrent request (no pipelining)", async () => {
    const upstream = await httpUpstream((req, res) => setTimeout(() => res.end(req.url), 30));
    const client = newClient();
    const [a, b] = await Promise.all([get(client, `${upstream.url}/a`), get(client, `${upstream.url}/b`)]);
    expect([a.body.toString(), b.body.toString()]).toEqual(["/a", "/b"]);
    expect(upstream.connections()).toBe(2);
    // Both went back to the pool: two more requests open nothing new.
    await Promise.all([get(client, `${upstream.url}/c`), get(client, `${upstream.url}/d`)]);
    expect(upstream.connections()).toBe(2);
  });

  it("gives the raw headers as sent, in order, repeats included", async () => {
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, () =>
        socket.write("HTTP/1.1 201 Created\r\nX-Trace: a\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n"),
      ),
    );
    const outcome = await get(newClient(), upstream.url);
    expect(outcome.status).toBe(201);
    expect(outcome.rawHeaders).toEqual(["X-Trace", "a", "Set-Cookie", "a=1", "set-cookie", "b=2", "Content-Length", "0"]);
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([1, 1, 0]);
  });

  it("decodes a chunked response", async () => {
    const upstream = await httpUpstream((_req, res) => {
      res.write("alpha,");
      setTimeout(() => {
        res.write("beta,");
        res.end("gamma");
      }, 20);
    });
    const outcome = await get(newClient(), upstream.url);
    expect(outcome.headers["transfer-encoding"]).toBe("chunked");
    expect(outcome.body.toString()).toBe("alpha,beta,gamma");
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([1, 1, 0]);
  });

  it("reads a response delimited by the end of the connection whole", async () => {
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, () => {
        socket.write("HTTP/1.1 200 OK\r\n\r\nhel");
        setTimeout(() => socket.end("lo"), 20);
      }),
    );
    const client = newClient();
    const outcome = await get(client, upstream.url);
    expect([outcome.status, outcome.body.toString(), outcome.error]).toEqual([200, "hello", null]);
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([1, 1, 0]);
    // The connection ended with the body: the next request opens another.
    expect((await get(client, upstream.url)).body.toString()).toBe("hello");
    expect(upstream.connections()).toBe(2);
  });

  it("skips 100 Continue and 103 Early Hints, reporting only the final response", async () => {
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, () =>
        socket.write(
          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Final: yes\r\n\r\nok",
        ),
      ),
    );
    const client = newClient();
    const outcome = await get(client, upstream.url);
    expect(outcome.status).toBe(200);
    expect(outcome.rawHeaders).toEqual(["Content-Length", "2", "X-Final", "yes"]);
    expect(outcome.body.toString()).toBe("ok");
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([1, 1, 0]);
    expect((await get(client, upstream.url)).status).toBe(200);
    expect(upstream.connections()).toBe(1);
  });

  it("ends a HEAD response at its head whatever its Content-Length, and reuses the connection", async () => {
    const upstream = await httpUpstream((req, res) => {
      res.writeHead(200, { "content-length": "11" });
      res.end(req.method === "HEAD" ? undefined : "hello world");
    });
    const client = newClient();
    const head = await get(client, upstream.url, { method: "HEAD" });
    expect([head.status, head.headers["content-length"], head.body.length, head.error]).toEqual([200, "11", 0, null]);
    const after = await get(client, upstream.url);
    expect(after.body.toString()).toBe("hello world");
    expect(upstream.connections()).toBe(1);
  });

  it("does not reuse a connection after a HEAD response that was followed by stray body bytes", async () => {
    // A server that wrongly sends a body to HEAD: those bytes are not the next response's.
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, (head) =>
        socket.write(
          head.startsWith("HEAD")
            ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
            : "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext",
        ),
      ),
    );
    const client = newClient();
    const head = await get(client, upstream.url, { method: "HEAD" });
    expect([head.status, head.error]).toEqual([200, null]);
    const after = await get(client, upstream.url);
    expect([after.status, after.body.toString(), after.error?.code]).toEqual([200, "next", undefined]);
  });

  it("does not reuse a connection whose upstream asked to close it", async () => {
    const upstream = await httpUpstream((_req, res) => {
      res.setHeader("connection", "close");
      res.end("bye");
    });
    const client = newClient();
    expect((await get(client, upstream.url)).body.toString()).toBe("bye");
    expect((await get(client, upstream.url)).body.toString()).toBe("bye");
    expect(upstream.connections()).toBe(2);
  });

  it("hands over body chunks that stay intact after later reads (the socket's read buffer is reused)", async () => {
    const parts = Array.from({ length: 6 }, (_, i) => Buffer.alloc(20_000, 65 + i));
    const upstream = await httpUpstream(async (_req, res) => {
      res.writeHead(200, { "content-length": String(parts.length * 20_000) });
      for (const part of parts) {
        res.write(part);
        await new Promise((r) => setTimeout(r, 5));
      }
      res.end();
    });
    // Kept as handed over, not copied: as a socket write that does not complete at once keeps it.
    const kept: Buffer[] = [];
    const outcome = await get(newClient(), `${upstream.url}/`, { onData: (chunk) => (kept.push(chunk), true) });
    expect(outcome.status).toBe(200);
    expect(kept.length).toBeGreaterThan(1);
    expect(Buffer.concat(kept).equals(Buffer.concat(parts))).toBe(true);
  });

  it("pauses on onData returning false until resume", async () => {
    const big = Buffer.alloc(1024 * 1024, "z");
    const upstream = await httpUpstream((_req, res) => res.end(big));
    let calls = 0;
    let callsWhenResumed = -1;
    const outcome = await get(newClient(), upstream.url, {
      onData(_chunk, exchange) {
        calls++;
        if (calls !== 1) return true;
        setTimeout(() => {
          callsWhenResumed = calls;
          exchange.resume();
        }, 50);
        return false;
      },
    });
    expect(outcome.body.equals(big)).toBe(true);
    expect(callsWhenResumed).toBe(1);
    expect(calls).toBeGreaterThan(1);
  });
});

describe("UpstreamClient: request bodies", () => {
  function echoDigest(): http.RequestListener {
    return (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        res.end(
          JSON.stringify({
            length: body.length,
            sha: digest(body),
            framing: req.headers["transfer-encoding"] ?? `length ${req.headers["content-length"]}`,
          }),
        );
      });
    };
  }

  const payload = (size: number) => {
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i++) data[i] = (i * 13 + 5) & 0xff;
    return data;
  };
  const split = (data: Buffer, size: number) =>
    Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size));

  it("sends a body with Content-Length intact", async () => {
    const upstream = await httpUpstream(echoDigest());
    const data = payload(10_000);
    const outcome = await get(newClient(), upstream.url, {
      method: "POST",
      body: source(split(data, 3000)),
      bodyHasLength: true,
      bodyLength: data.length,
    });
    expect(JSON.parse(outcome.body.toString())).toEqual({ length: data.length, sha: digest(data), framing: `length ${data.length}` });
  });

  it("sends a body chunked intact", async () => {
    const upstream = await httpUpstream(echoDigest());
    const data = payload(10_000);
    const outcome = await get(newClient(), upstream.url, { method: "POST", body: source(split(data, 999)), bodyHasLength: false });
    expect(JSON.parse(outcome.body.toString())).toEqual({ length: data.length, sha: digest(data), framing: "chunked" });
  });

  it("sends a large body with back-pressure, both framings, on a reused connection", async () => {
    const upstream = await httpUpstream(echoDigest());
    const data = payload(8 * 1024 * 1024);
    const client = newClient();
    const sized = source(split(data, 256 * 1024));
    const first = await get(client, upstream.url, { method: "PUT", body: sized, bodyHasLength: true, bodyLength: data.length });
    expect(JSON.parse(first.body.toString())).toMatchObject({ length: data.length, sha: digest(data) });
    const chunked = source(split(data, 256 * 1024));
    const second = await get(client, upstream.url, { method: "PUT", body: chunked, bodyHasLength: false });
    expect(JSON.parse(second.body.toString())).toEqual({ length: data.length, sha: digest(data), framing: "chunked" });
    // The socket refused writes at some point and the source was resumed on drain.
    expect(sized.pauses + chunked.pauses).toBeGreaterThan(0);
    expect(upstream.connections()).toBe(1);
  });

  it("counts the headers timeout from the request's last byte, not its first", async () => {
    const upstream = await httpUpstream(echoDigest());
    const data = payload(6_000);
    // The body takes about 600 ms to send; the upstream answers as soon as it has it.
    const outcome = await get(newClient(), upstream.url, {
      method: "POST",
      body: source(split(data, 1000), 100),
      bodyHasLength: true,
      bodyLength: data.length,
      headersTimeoutMs: 300,
    });
    expect(outcome.error?.code).toBeUndefined();
    expect(JSON.parse(outcome.body.toString())).toMatchObject({ length: data.length, sha: digest(data) });
  });
});

describe("UpstreamClient: failures", () => {
  it("reports an unreachable port as unreachable", async () => {
    const port = await closedPort();
    const outcome = await get(newClient(), `http://127.0.0.1:${port}/`);
    expect(outcome.error?.code).toBe("unreachable");
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([0, 0, 1]);
  });

  it("reports headers_timeout when the upstream never answers", async () => {
    const upstream = await rawUpstream(() => {});
    const started = Date.now();
    const outcome = await get(newClient(), upstream.url, { headersTimeoutMs: 300 });
    const elapsed = Date.now() - started;
    expect(outcome.error?.code).toBe("headers_timeout");
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1000);
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([0, 0, 1]);
  });

  it("reports body_timeout when the upstream stalls after its head", async () => {
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, () => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")),
    );
    const started = Date.now();
    const outcome = await get(newClient({ bodyTimeoutMs: 300 }), upstream.url);
    expect(outcome.status).toBe(200);
    expect(outcome.body.toString()).toBe("abc");
    expect(outcome.error?.code).toBe("body_timeout");
    expect(Date.now() - started).toBeLessThan(1000);
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([1, 0, 1]);
  });

  it("reports a response cut short by the upstream closing as an error, not an end", async () => {
    const upstream = await rawUpstream((socket) => eachHead(socket, () => socket.end("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")));
    const outcome = await get(newClient(), upstream.url);
    expect(outcome.status).toBe(200);
    expect(outcome.error?.code).toBe("protocol");
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([1, 0, 1]);
  });

  it("reports invalid response bytes as protocol", async () => {
    const upstream = await rawUpstream((socket) => eachHead(socket, () => socket.write("SPDY/9 banana\r\n\r\n")));
    const outcome = await get(newClient(), upstream.url);
    expect(outcome.error?.code).toBe("protocol");
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([0, 0, 1]);
  });

  it("reports a 101 Switching Protocols nobody asked for as protocol", async () => {
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, () => socket.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")),
    );
    const outcome = await get(newClient(), upstream.url);
    expect(outcome.error?.code).toBe("protocol");
    expect(outcome.heads).toBe(0);
  });

  it("abort reports aborted once, nothing after, and the connection is not reused", async () => {
    const upstream = await httpUpstream((req, res) => {
      if (req.url === "/slow") setTimeout(() => res.end("too late"), 100);
      else res.end("ok");
    });
    const client = newClient();
    expect((await get(client, `${upstream.url}/warm`)).body.toString()).toBe("ok");
    const { exchange, done } = call(client, `${upstream.url}/slow`);
    await sleep(30);
    exchange.abort();
    const outcome = await done;
    expect(outcome.error?.code).toBe("aborted");
    exchange.abort();
    await sleep(150);
    expect([outcome.heads, outcome.ends, outcome.errors]).toEqual([0, 0, 1]);
    expect((await get(client, `${upstream.url}/after`)).body.toString()).toBe("ok");
    expect(upstream.connections()).toBe(2);
  });

  it("survives the upstream closing an idle keep-alive connection", async () => {
    // node:http adds a second to server.keepAliveTimeout before closing: a raw server closes after 100 ms idle instead.
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, () => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nKeep-Alive: timeout=0\r\n\r\nfine");
        setTimeout(() => socket.end(), 100);
      }),
    );
    const client = newClient();
    expect((await get(client, upstream.url)).body.toString()).toBe("fine");
    await sleep(300);
    const outcome = await get(client, upstream.url);
    expect([outcome.status, outcome.body.toString(), outcome.error]).toEqual([200, "fine", null]);
    expect(upstream.connections()).toBe(2);
  });

  it("retries a body-less request once when a reused connection closes before answering", async () => {
    // The first connection answers one request, then closes on the next one without a word.
    const upstream = await rawUpstream((socket, index) =>
      eachHead(socket, (_head, n) => {
        if (index === 0 && n === 1) socket.destroy();
        else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nconn ${index}.${n}`);
      }),
    );
    const client = newClient();
    expect((await get(client, upstream.url)).body.toString()).toBe("conn 0.0");
    const outcome = await get(client, upstream.url);
    expect([outcome.body.toString(), outcome.error]).toEqual(["conn 1.0", null]);
    expect(upstream.connections()).toBe(2);
  });

  it("does not retry a request with a body on a reused connection that closes", async () => {
    const upstream = await rawUpstream((socket) => {
      let seen = 0;
      socket.on("data", () => {
        seen++;
        if (seen === 1) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        else socket.destroy();
      });
    });
    const client = newClient();
    expect((await get(client, upstream.url)).body.toString()).toBe("ok");
    const outcome = await get(client, upstream.url, {
      method: "POST",
      body: source([Buffer.from("data")]),
      bodyHasLength: true,
      bodyLength: 4,
    });
    expect(outcome.error?.code).toBe("reset");
    expect(upstream.connections()).toBe(1);
  });

  it("fails the requests in flight when the client is closed", async () => {
    const upstream = await rawUpstream(() => {});
    const client = newClient();
    const { done } = call(client, upstream.url);
    await sleep(50);
    client.close();
    const outcome = await Promise.race([done, sleep(500).then(() => null)]);
    expect(outcome?.errors).toBe(1);
  });

  it("closes a pooled connection idle for keepAliveTimeoutMs", async () => {
    let closed = 0;
    const upstream = await httpUpstream((_req, res) => {
      res.socket?.once("close", () => closed++);
      res.end("x");
    });
    const client = newClient({ keepAliveTimeoutMs: 150 });
    await get(client, upstream.url);
    await sleep(450);
    expect(closed).toBe(1);
    await get(client, upstream.url);
    expect(upstream.connections()).toBe(2);
  });
});

describe("UpstreamClient: TLS", () => {
  let dir = "";
  let key = "";
  let cert = "";

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "http1-client-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-days",
        "1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    key = readFileSync(path.join(dir, "key.pem"), "utf8");
    cert = readFileSync(path.join(dir, "cert.pem"), "utf8");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function httpsUpstream(): Promise<Upstream> {
    const server = https.createServer({ key, cert }, (req, res) => res.end(`secure ${req.url}`));
    let connections = 0;
    server.on("secureConnection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return { url: `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`, connections: () => connections };
  }

  it("talks to an https origin whose certificate is trusted through ca, reusing the connection", async () => {
    const upstream = await httpsUpstream();
    const client = newClient({ ca: cert });
    const first = await get(client, `${upstream.url}/a`);
    const second = await get(client, `${upstream.url}/b`);
    expect([first.status, first.body.toString(), first.error]).toEqual([200, "secure /a", null]);
    expect([second.status, second.body.toString(), second.error]).toEqual([200, "secure /b", null]);
    expect(upstream.connections()).toBe(1);
  });

  it("refuses an https origin whose certificate is not trusted", async () => {
    const upstream = await httpsUpstream();
    const outcome = await get(newClient(), `${upstream.url}/a`);
    expect(outcome.error?.code).toBe("unreachable");
    expect(outcome.heads).toBe(0);
  });
});

describe("parseOrigin", () => {
  it("parses scheme, host, port and the Host header", () => {
    expect(parseOrigin("http://backend:8080")).toEqual({
      key: "http://backend:8080",
      tls: false,
      host: "backend",
      port: 8080,
      hostHeader: "backend:8080",
    });
    expect(parseOrigin("https://api.example")).toEqual({
      key: "https://api.example",
      tls: true,
      host: "api.example",
      port: 443,
      hostHeader: "api.example",
    });
    expect(parseOrigin("http://[::1]:81")).toMatchObject({ host: "::1", port: 81, hostHeader: "[::1]:81" });
    expect(() => parseOrigin("ftp://x")).toThrow(/Unsupported/);
  });
});

/** A request, and a second one made from the first one's end, in the same turn of the event loop. */
function thenAtOnce(
  client: UpstreamClient,
  url: string,
  method: string,
  nextUrl: string,
): Promise<{ first: Outcome; next: Promise<Outcome> }> {
  const target = new URL(url);
  const first: Outcome = { status: 0, headers: {}, rawHeaders: [], body: Buffer.alloc(0), error: null, heads: 0, ends: 0, errors: 0 };
  return new Promise((resolve) => {
    client.request(
      {
        origin: parseOrigin(target.origin),
        method,
        head: `${method} ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\n`,
        body: null,
        bodyHasLength: true,
      },
      {
        onHead(status, headers) {
          first.status = status;
          first.rawHeaders = headers;
          for (let i = 0; i < headers.length; i += 2) first.headers[headers[i].toLowerCase()] = headers[i + 1];
        },
        onData: () => true,
        onEnd() {
          resolve({ first, next: get(client, nextUrl) });
        },
        onError(error) {
          first.error = error;
          resolve({ first, next: get(client, nextUrl) });
        },
      },
    );
  });
}

describe("UpstreamClient: a connection is used again only when nothing is left on it", () => {
  const INJECTED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Injected: 1\r\n\r\nINJECTED";

  /** Answers `/first` with `first`, every other request with its path. */
  async function upstreamAnswering(first: string): Promise<Upstream> {
    return rawUpstream((socket) =>
      eachHead(socket, (head) => {
        const path = head.split(" ")[1];
        socket.write(path === "/first" ? first : `HTTP/1.1 200 OK\r\nContent-Length: ${path.length}\r\n\r\n${path}`);
      }),
    );
  }

  const cases: [string, string, string][] = [
    [
      "HEAD answered with a length and a response behind it",
      "HEAD",
      `HTTP/1.1 200 OK\r\nContent-Length: ${INJECTED.length}\r\n\r\n${INJECTED}`,
    ],
    ["204 with bytes behind it", "GET", `HTTP/1.1 204 No Content\r\n\r\n${INJECTED}`],
    ["Content-Length: 0 with bytes behind it", "GET", `HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n${INJECTED}`],
    ["a chunked response with a response behind it", "GET", `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${INJECTED}`],
    // CR and LF between messages are skipped by the parser without a callback: still retired.
    ["a sized response with an empty line behind it", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\r\n"],
    [
      "a chunked response with an empty line behind it",
      "GET",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n\r\n",
    ],
    ["a bodiless response with a line feed behind it", "GET", "HTTP/1.1 204 No Content\r\n\r\n\n"],
  ];
  for (const [what, method, answer] of cases) {
    it(`${what}: the response ends where it should, the connection is retired, the next request gets its own answer`, async () => {
      const upstream = await upstreamAnswering(answer);
      const client = newClient();
      // The next request is made from the first one's end, in the same turn, as a pipelined client's would be.
      const { first, next } = await thenAtOnce(client, `${upstream.url}/first`, method, `${upstream.url}/second`);
      expect(first.error).toBeNull();
      expect(first.headers["x-injected"]).toBeUndefined();
      const second = await next;
      expect(second.body.toString()).toBe("/second");
      const later = await get(client, `${upstream.url}/third`);
      expect(later.body.toString()).toBe("/third");
      // The first connection was retired; the second (clean) one served the third request.
      expect(upstream.connections()).toBe(2);
    });
  }

  it("hands a released connection to no request of the same turn, and to the next turn's", async () => {
    const upstream = await httpUpstream((req, res) => res.end(req.url));
    const client = newClient();
    const { next } = await thenAtOnce(client, `${upstream.url}/a`, "GET", `${upstream.url}/b`);
    expect((await next).body.toString()).toBe("/b");
    expect(upstream.connections()).toBe(2);
    await get(client, `${upstream.url}/c`);
    expect(upstream.connections()).toBe(2);
  });

  it("retires a connection that receives bytes while idle", async () => {
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, (head) => {
        const path = head.split(" ")[1];
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${path.length}\r\n\r\n${path}`);
        if (path === "/first") setTimeout(() => socket.write(INJECTED), 30);
      }),
    );
    const client = newClient();
    expect((await get(client, `${upstream.url}/first`)).body.toString()).toBe("/first");
    await sleep(100);
    expect((await get(client, `${upstream.url}/second`)).body.toString()).toBe("/second");
    expect(upstream.connections()).toBe(2);
  });

  it("reuses a connection whose responses end exactly, sized or chunked, split over reads or not", async () => {
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, (head) => {
        const path = head.split(" ")[1];
        if (path === "/sized") socket.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab\r\n");
        else if (path === "/chunked") socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        else if (path === "/empty-chunked") socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        else if (path === "/split") {
          socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n");
          setTimeout(() => socket.write("0\r\n\r\n"), 20);
        } else socket.write("HTTP/1.1 204 No Content\r\n\r\n");
      }),
    );
    const client = newClient();
    for (const path of ["/sized", "/chunked", "/empty-chunked", "/split", "/none"])
      expect((await get(client, `${upstream.url}${path}`)).error).toBeNull();
    expect(upstream.connections()).toBe(1);
  });

  it("drops response trailers, and the next response on the connection has only its own fields", async () => {
    const many = Array.from({ length: 40 }, (_, i) => `X-R${i}: ${i}\r\n`).join("");
    let n = 0;
    const upstream = await rawUpstream((socket) =>
      eachHead(socket, () => {
        const i = n++;
        socket.write(
          i === 0
            ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Secret: a\r\n\r\n"
            : `HTTP/1.1 200 OK\r\n${i === 1 ? "" : many}Content-Length: 2\r\n\r\nok`,
        );
      }),
    );
    const client = newClient();
    const outcomes = [await get(client, upstream.url), await get(client, upstream.url), await get(client, upstream.url)];
    for (const o of outcomes) expect(o.rawHeaders.map((h) => h.toLowerCase())).not.toContain("x-secret");
    expect(outcomes[2].rawHeaders.filter((h) => /^X-R\d+$/.test(h))).toHaveLength(40);
    // A body that ended with trailers cannot be shown to have ended exactly: its connection is retired.
    expect(upstream.connections()).toBe(2);
  });
});
