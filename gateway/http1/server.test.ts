import { createHash } from "node:crypto";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Http1Server, type BodySink, type Http1Request, type Http1Response, type RequestListener, type ServerOptions } from "./server";

const servers: Http1Server[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await server.close();
  }
});

async function start(
  listener: RequestListener,
  options: Partial<ServerOptions> = {},
): Promise<{ server: Http1Server; port: number; url: string }> {
  const server = new Http1Server(listener, options);
  servers.push(server);
  await server.listen(0, "127.0.0.1");
  const { port } = server.address();
  return { server, port, url: `http://127.0.0.1:${port}` };
}

/** A client that sends and sees raw bytes (latin1), for what fetch would hide. */
class RawClient {
  readonly socket: net.Socket;
  text = "";
  closed = false;
  private wake: () => void = () => {};

  constructor(port: number) {
    this.socket = net.connect(port, "127.0.0.1");
    this.socket.setEncoding("latin1");
    this.socket.on("data", (data: string) => {
      this.text += data;
      this.wake();
    });
    this.socket.on("error", () => {});
    this.socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    clients.push(this);
  }

  send(data: string | Buffer): this {
    this.socket.write(data);
    return this;
  }

  /** Resolves with the text received once `test` holds; fails after `ms`. */
  until(test: (text: string) => boolean, ms = 2000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = () => {};
        reject(new Error(`Timed out; received ${JSON.stringify(this.text)} (closed: ${this.closed})`));
      }, ms);
      const check = () => {
        if (test(this.text)) {
          clearTimeout(timer);
          this.wake = () => {};
          resolve(this.text);
        }
      };
      this.wake = check;
      check();
    });
  }

  whenClosed(ms = 2000): Promise<string> {
    return this.until(() => this.closed, ms);
  }
}

function connect(port: number): Promise<RawClient> {
  const client = new RawClient(port);
  return new Promise((resolve) => client.socket.once("connect", () => resolve(client)));
}

/** The Date header changes every second: left out of exact comparisons. */
const noDate = (text: string) => text.replace(/\r\ndate: [^\r\n]+/g, "");
/** The body of one response in `text`, de-chunked when it was sent chunked. */
function bodyOf(text: string): string {
  const split = text.indexOf("\r\n\r\n");
  const head = text.slice(0, split).toLowerCase();
  let rest = text.slice(split + 4);
  if (!head.includes("\r\ntransfer-encoding: chunked")) return rest;
  let body = "";
  for (;;) {
    const line = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, line), 16);
    if (!(size > 0)) return body;
    body += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(test: () => boolean, ms = 1500): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error("Condition not met in time");
    await sleep(10);
  }
}

const echoUrl: RequestListener = (req, res) => res.end(`path=${req.url}`);

describe("Http1Server: connections", () => {
  it("answers two requests on one keep-alive connection", async () => {
    const peers: string[] = [];
    const { port } = await start((req, res) => {
      peers.push(req.remoteAddress);
      res.end(`path=${req.url}`);
    });
    const client = await connect(port);
    client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    await client.until((t) => t.endsWith("path=/a"));
    client.send("GET /bb HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.until((t) => t.endsWith("path=/bb"));
    expect(noDate(text)).toBe("HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\npath=/aHTTP/1.1 200 OK\r\ncontent-length: 8\r\n\r\npath=/bb");
    expect(text).toMatch(/\r\ndate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n/);
    expect(client.closed).toBe(false);
    expect(peers).toEqual(["127.0.0.1", "127.0.0.1"]);
  });

  it("closes after answering HTTP/1.0 unless it asked for keep-alive", async () => {
    const { port } = await start(echoUrl);
    const plain = await connect(port);
    plain.send("GET /old HTTP/1.0\r\n\r\n");
    const text = await plain.whenClosed();
    expect(noDate(text)).toBe("HTTP/1.1 200 OK\r\ncontent-length: 9\r\nconnection: close\r\n\r\npath=/old");

    const kept = await connect(port);
    kept.send("GET /one HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    await kept.until((t) => t.endsWith("path=/one"));
    expect(noDate(kept.text)).toBe("HTTP/1.1 200 OK\r\ncontent-length: 9\r\nconnection: keep-alive\r\n\r\npath=/one");
    kept.send("GET /two HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    await kept.until((t) => t.endsWith("path=/two"));
    expect(kept.closed).toBe(false);
  });

  it("closes an HTTP/1.1 connection when the client sends Connection: close", async () => {
    const { port } = await start(echoUrl);
    const client = await connect(port);
    client.send("GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const text = await client.whenClosed();
    expect(noDate(text)).toBe("HTTP/1.1 200 OK\r\ncontent-length: 7\r\nconnection: close\r\n\r\npath=/x");
  });

  it("answers pipelined requests in order when the first answer comes later", async () => {
    const order: string[] = [];
    const { port } = await start((req, res) => {
      order.push(req.url);
      if (req.url === "/slow") setTimeout(() => res.end("slow"), 80);
      else res.end("fast");
    });
    const client = await connect(port);
    client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("fast"));
    expect(noDate(text)).toBe("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nslowHTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nfast");
    // The second request waits for the first exchange to end before the listener sees it.
    expect(order).toEqual(["/slow", "/fast"]);
  });

  it("reads on after a pipelined burst: a third request on the same connection is answered", async () => {
    const { port } = await start((req, res) => (req.url === "/1" ? setTimeout(() => res.end("1"), 30) : res.end(req.url.slice(1))));
    const client = await connect(port);
    client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
    await client.until((t) => t.endsWith("\r\n\r\n2"));
    client.send("GET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("\r\n\r\n3"));
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
  });

  it("closes an idle keep-alive connection after keepAliveTimeoutMs", async () => {
    const { port } = await start(echoUrl, { keepAliveTimeoutMs: 200 });
    const client = await connect(port);
    const sent = Date.now();
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await client.until((t) => t.endsWith("path=/"));
    await client.whenClosed(1500);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(190);
  });

  it("closeIdleConnections closes idle keep-alive connections, not busy ones", async () => {
    let answer: (() => void) | null = null;
    const { server, port } = await start((req, res) => {
      if (req.url === "/wait") answer = () => res.end("late");
      else res.end("now");
    });
    const idle = await connect(port);
    idle.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await idle.until((t) => t.endsWith("now"));
    const busy = await connect(port);
    busy.send("GET /wait HTTP/1.1\r\nHost: a\r\n\r\n");
    await waitFor(() => answer !== null);

    server.closeIdleConnections();
    await idle.whenClosed(1000);
    await sleep(50);
    expect(busy.closed).toBe(false);
    answer!();
    await busy.until((t) => t.endsWith("late"));
  });

  it("closeIdleConnections closes a connection that has sent nothing yet", async () => {
    const { server, port } = await start(echoUrl);
    const client = await connect(port);
    await sleep(20);
    server.closeIdleConnections();
    await client.whenClosed(1000);
    expect(client.text).toBe("");
  });

  it("while draining, the next response carries connection: close and the connection closes", async () => {
    const { server, port } = await start(echoUrl);
    const client = await connect(port);
    client.send("GET /before HTTP/1.1\r\nHost: a\r\n\r\n");
    await client.until((t) => t.endsWith("path=/before"));
    expect(client.text).not.toContain("connection: close");
    server.draining = true;
    client.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.whenClosed();
    expect(noDate(text).split("path=/before")[1]).toBe("HTTP/1.1 200 OK\r\ncontent-length: 11\r\nconnection: close\r\n\r\npath=/after");
  });
});

describe("Http1Server: responses", () => {
  it("sends a response without length chunked, and it decodes", async () => {
    const { port, url } = await start((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("hello ");
      setTimeout(() => {
        res.write(Buffer.from("wörld"));
        res.end();
      }, 20);
    });
    const client = await connect(port);
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("0\r\n\r\n"));
    expect(noDate(text)).toBe(
      `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n6\r\nhello \r\n6\r\n${Buffer.from("wörld").toString("latin1")}\r\n0\r\n\r\n`,
    );

    const res = await fetch(url);
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    expect(res.headers.get("content-length")).toBeNull();
    expect(await res.text()).toBe("hello wörld");
  });

  it("sends the last chunk and the terminator together when end is given a chunk", async () => {
    const { port } = await start((_req, res) => {
      res.writeHead(200);
      res.end("tail");
    });
    const client = await connect(port);
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("0\r\n\r\n"));
    expect(noDate(text)).toBe("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\ntail\r\n0\r\n\r\n");
  });

  it("streams a large chunked body intact", async () => {
    const big = Buffer.alloc(300_000, "abcdefghij");
    const { url } = await start((_req, res) => {
      res.writeHead(200);
      res.write(big.subarray(0, 100_000));
      res.write(big.subarray(100_000, 117_000));
      res.end(big.subarray(117_000));
    });
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(body.length).toBe(big.length);
    expect(body.equals(big)).toBe(true);
  });

  it("gives end(body) a Content-Length in bytes", async () => {
    const { url } = await start((_req, res) => res.end("héllo ✓"));
    const res = await fetch(url);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength("héllo ✓")));
    expect(res.headers.get("transfer-encoding")).toBeNull();
    expect(await res.text()).toBe("héllo ✓");
  });

  it("keeps the listener's headers and status, repeated values as separate lines", async () => {
    const { port } = await start((_req, res) => {
      res.writeHead(201, { "X-Multi": ["a", "b"], "x-count": 3, "x-skipped": undefined }, ["X-Raw", "r", "Content-Length", "2"]).end("ok");
    });
    const client = await connect(port);
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("ok"));
    expect(noDate(text)).toBe("HTTP/1.1 201 Created\r\nX-Raw: r\r\nX-Multi: a\r\nX-Multi: b\r\nx-count: 3\r\ncontent-length: 2\r\n\r\nok");
  });

  it("answers HEAD with the headers and no body, and the connection stays usable", async () => {
    const { port } = await start((req, res) => {
      if (req.url === "/sized") res.end("hello");
      else if (req.url === "/unsized") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("ignored");
        res.end();
      } else res.end(`after ${req.method}`);
    });
    const client = await connect(port);
    client.send("HEAD /sized HTTP/1.1\r\nHost: a\r\n\r\nHEAD /unsized HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("after GET"));
    // Had a body been sent, it would show between the heads.
    expect(noDate(text)).toBe(
      "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n" +
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n" +
        "HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nafter GET",
    );
  });

  it("sends 204 and 304 without a body or framing headers", async () => {
    const { port } = await start((req, res) => {
      if (req.url === "/204") {
        res.statusCode = 204;
        res.end("dropped");
      } else if (req.url === "/304") res.writeHead(304, { etag: '"v1"' }).end();
      else res.end("next");
    });
    const client = await connect(port);
    client.send("DELETE /204 HTTP/1.1\r\nHost: a\r\n\r\nGET /304 HTTP/1.1\r\nHost: a\r\n\r\nGET /n HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("next"));
    expect(noDate(text)).toBe(
      "HTTP/1.1 204 No Content\r\n\r\n" +
        'HTTP/1.1 304 Not Modified\r\netag: "v1"\r\n\r\n' +
        "HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nnext",
    );
  });

  it("sends an unsized response to HTTP/1.0 unframed and closes to end it", async () => {
    const { port } = await start((_req, res) => {
      res.writeHead(200);
      res.write("part1,");
      res.end("part2");
    });
    const client = await connect(port);
    client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const text = await client.whenClosed();
    expect(noDate(text)).toBe("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\npart1,part2");
  });

  it("refuses a header value holding CR or LF (response splitting)", async () => {
    const errors: string[] = [];
    const { port } = await start((req, res) => {
      const attempts: [string, () => unknown][] = [
        ["value", () => res.writeHead(200, { "x-evil": "a\r\nset-cookie: stolen=1" })],
        ["list", () => res.writeHead(200, { "x-evil": ["ok", "b\nset-cookie: stolen=1"] })],
        ["name", () => res.writeHead(200, { "x-evil\r\nset-cookie": "1" })],
        ["length", () => res.writeHead(200, { "content-length": "5\r\nset-cookie: stolen=1" })],
      ];
      for (const [kind, attempt] of attempts) {
        try {
          attempt();
          errors.push(`${kind}: accepted`);
        } catch {
          errors.push(`${kind}: refused`);
        }
      }
      res.end(req.url);
    });
    const client = await connect(port);
    client.send("GET /safe HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("/safe"));
    expect(errors).toEqual(["value: refused", "list: refused", "name: refused", "length: refused"]);
    expect(text.toLowerCase()).not.toContain("set-cookie");
    expect(noDate(text)).toBe("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n/safe");
  });

  it("sends raw pairs as they are, taking Content-Length and Date from them", async () => {
    // Raw pairs come from the upstream's parser, whose strict mode refused line breaks (see parser.test.ts).
    const { port } = await start((_req, res) => {
      res
        .writeHead(200, { "x-added": "1" }, ["X-Upstream", "u", "CONTENT-LENGTH", "3", "Date", "Tue, 01 Jan 2030 00:00:00 GMT"])
        .end("abc");
    });
    const client = await connect(port);
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("abc"));
    expect(text).toBe(
      "HTTP/1.1 200 OK\r\nX-Upstream: u\r\nDate: Tue, 01 Jan 2030 00:00:00 GMT\r\nx-added: 1\r\ncontent-length: 3\r\n\r\nabc",
    );
  });

  it("answers 500 when the listener throws before answering, and reports the error", async () => {
    const { server, port } = await start((_req, res) => {
      res.writeHead(200, { "x-evil": "a\nb" });
    });
    const reported: unknown[] = [];
    server.onError = (error) => reported.push(error);
    const client = await connect(port);
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.includes("\r\n\r\n") && bodyOf(t) === "Internal Server Error", 1000);
    expect(text).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    expect(reported).toHaveLength(1);
    expect(String(reported[0])).toContain("line break");
  });

  it("fires onClose once after a normal end", async () => {
    let closes = 0;
    let finishedAtClose: boolean | null = null;
    const { port } = await start((_req, res) => {
      res.onClose((r) => {
        closes++;
        finishedAtClose = r.finished;
      });
      res.end("done");
    });
    const client = await connect(port);
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await client.until((t) => t.endsWith("done"));
    client.socket.destroy();
    await sleep(150);
    expect(closes).toBe(1);
    expect(finishedAtClose).toBe(true);
  });

  it.each<[string, (socket: net.Socket) => void]>([
    ["closes", (socket) => socket.destroy()],
    ["resets", (socket) => socket.resetAndDestroy()],
  ])("fires onClose once when the client %s the connection before the answer", async (_, leave) => {
    let closes = 0;
    let seen: Http1Response | null = null;
    const { port } = await start((_req, res) => {
      seen = res;
      res.onClose(() => closes++);
    });
    const client = await connect(port);
    client.send("GET /never HTTP/1.1\r\nHost: a\r\n\r\n");
    await waitFor(() => seen !== null);
    leave(client.socket);
    await waitFor(() => closes > 0, 1000);
    await sleep(150);
    expect(closes).toBe(1);
    expect(seen!.finished).toBe(false);
  });

  it("fires onClose once when the client disconnects in the middle of a streamed response", async () => {
    let closes = 0;
    let res: Http1Response | null = null;
    const { port } = await start((_req, r) => {
      res = r;
      r.onClose(() => closes++);
      r.writeHead(200);
      r.write("first part");
    });
    const client = await connect(port);
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await client.until((t) => t.includes("first part"));
    client.socket.destroy();
    await waitFor(() => closes > 0, 1000);
    // Writing after the client left is harmless and does not call back again.
    res!.write("more");
    res!.end("end");
    await sleep(50);
    expect(closes).toBe(1);
  });
});

describe("Http1Server: request bodies", () => {
  /** Sink writes seen when a paused sink is resumed. */
  let writesWhilePaused = -1;

  function collect(req: Http1Request, onEnd: (body: Buffer, writes: number) => void, pauseFirst = false): void {
    const chunks: Buffer[] = [];
    const sink: BodySink = {
      write(chunk) {
        chunks.push(Buffer.from(chunk));
        if (pauseFirst && chunks.length === 1) {
          setTimeout(() => {
            writesWhilePaused = chunks.length;
            req.resume();
          }, 50);
          return false;
        }
        return true;
      },
      end() {
        onEnd(Buffer.concat(chunks), chunks.length);
      },
    };
    req.pipe(sink);
  }

  const digest = (data: Buffer) => createHash("sha256").update(data).digest("hex");

  it("pipes a sized body to the sink", async () => {
    const { url } = await start((req, res) => {
      expect(req.hasBody).toBe(true);
      collect(req, (body) => res.end(`${req.method} ${body.toString()}`));
    });
    const res = await fetch(url, { method: "PUT", body: "small body" });
    expect(await res.text()).toBe("PUT small body");
  });

  it("pipes a body over 64 KiB through a sink that pauses once, then resumes", async () => {
    writesWhilePaused = -1;
    const body = Buffer.alloc(200 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
    let writes = 0;
    const { url } = await start((req, res) => {
      collect(
        req,
        (received, n) => {
          writes = n;
          res.end(JSON.stringify({ length: received.length, sha: digest(received) }));
        },
        true,
      );
    });
    const res = await fetch(url, { method: "POST", body });
    expect(await res.json()).toEqual({ length: body.length, sha: digest(body) });
    // Nothing was delivered while the sink was paused; the rest came after resume.
    expect(writesWhilePaused).toBe(1);
    expect(writes).toBeGreaterThan(1);
  });

  it("replays what arrived before pipe, even past 64 KiB buffered", async () => {
    const body = Buffer.alloc(150 * 1024, "q");
    body.write("start", 0);
    body.write("end", body.length - 3);
    const { url } = await start((req, res) => {
      setTimeout(() => collect(req, (received) => res.end(JSON.stringify({ length: received.length, sha: digest(received) }))), 100);
    });
    const res = await fetch(url, { method: "POST", body });
    expect(await res.json()).toEqual({ length: body.length, sha: digest(body) });
  });

  it("pipes a chunked body, decoded", async () => {
    const { port } = await start((req, res) => collect(req, (body) => res.end(`got ${body.toString()}`)));
    const client = await connect(port);
    client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
    await sleep(20);
    client.send("4\r\ndefg\r\n0\r\n\r\n");
    const text = await client.until((t) => t.endsWith("got abcdefg"));
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it("ends the sink at once for a request without a body", async () => {
    const { url } = await start((req, res) => {
      expect(req.hasBody).toBe(false);
      collect(req, (body) => res.end(`length ${body.length}`));
    });
    expect(await (await fetch(url)).text()).toBe("length 0");
  });

  it("drops an unread body when the response ends first, and reads the next request", async () => {
    const { port } = await start((req, res) => res.end(`${req.method} ${req.url}`));
    const client = await connect(port);
    client.send("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234");
    await client.until((t) => t.endsWith("POST /a"));
    client.send("56789GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await client.until((t) => t.endsWith("GET /b"));
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
  });

  it("answers Expect: 100-continue with 100 Continue before the final answer", async () => {
    const { port } = await start((req, res) => collect(req, (body) => res.end(`got ${body.toString()}`)));
    const client = await connect(port);
    client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    // The client holds its body until it sees the 100.
    await client.until((t) => t === "HTTP/1.1 100 Continue\r\n\r\n");
    client.send("hello");
    const text = await client.until((t) => t.endsWith("got hello"));
    expect(noDate(text)).toBe("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\ngot hello");
  });

  it("answers 408 and closes when a body does not arrive within requestTimeoutMs", async () => {
    let closes = 0;
    const { port } = await start(
      (req, res) => {
        res.onClose(() => closes++);
        collect(req, () => res.end("unexpected"));
      },
      { requestTimeoutMs: 300 },
    );
    const client = await connect(port);
    client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\npartial");
    const text = await client.whenClosed(1500);
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(text).toContain("connection: close");
    expect(closes).toBe(1);
  });
});

describe("Http1Server: refused requests", () => {
  async function refused(data: string | Buffer, options: Partial<ServerOptions> = {}): Promise<{ text: string; called: number }> {
    let called = 0;
    const { port } = await start((_req, res) => {
      called++;
      res.end("listener");
    }, options);
    const client = await connect(port);
    client.send(data);
    const text = await client.whenClosed();
    return { text, called };
  }

  it("answers a malformed request line with 400 and closes", async () => {
    const { text, called } = await refused("THIS IS NOT HTTP\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain("connection: close\r\n");
    const body = JSON.parse(bodyOf(text));
    expect(body).toMatchObject({ status: 400, code: "bad_request" });
    expect(called).toBe(0);
  });

  it("refuses a request with both Content-Length and Transfer-Encoding (smuggling)", async () => {
    const { text, called } = await refused(
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
    );
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).not.toContain("listener");
    expect(called).toBe(0);
  });

  it("answers a head over 16 KiB with 431", async () => {
    const { text, called } = await refused(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${"b".repeat(17 * 1024)}\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(JSON.parse(bodyOf(text)).code).toBe("request_header_too_large");
    expect(called).toBe(0);
  });

  it("honours a smaller maxHeaderSize", async () => {
    const { text } = await refused(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${"b".repeat(2048)}\r\n\r\n`, { maxHeaderSize: 1024 });
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
  });

  it("answers Upgrade: websocket with 501 and closes", async () => {
    const { text, called } = await refused(
      "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    expect(text).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n/);
    expect(text).toContain("connection: close\r\n");
    expect(JSON.parse(bodyOf(text)).code).toBe("upgrade_not_supported");
    expect(called).toBe(0);
  });

  it("answers a head that stays incomplete past headersTimeoutMs with 408 and closes", async () => {
    let called = 0;
    const { port } = await start(
      (_req, res) => {
        called++;
        res.end();
      },
      { headersTimeoutMs: 300 },
    );
    const client = await connect(port);
    const sent = Date.now();
    client.send("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ");
    const text = await client.whenClosed(1000);
    const elapsed = Date.now() - sent;
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(bodyOf(text)).code).toBe("request_timeout");
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(called).toBe(0);
  });

  it("times out a slow head that began in the same read as the request before it", async () => {
    const { port } = await start(echoUrl, { headersTimeoutMs: 300, keepAliveTimeoutMs: 5000 });
    const client = await connect(port);
    client.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /second HTTP/1.1\r\nHost: a\r\nX-Slow: ");
    const text = await client.whenClosed(1000);
    expect(text).toMatch(/path=\/firstHTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it("finishes the answer in progress before closing on a bad pipelined request", async () => {
    const { port } = await start((_req, res) => setTimeout(() => res.end("first"), 30));
    const client = await connect(port);
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\nNOT HTTP AT ALL\r\n\r\n");
    const text = await client.whenClosed();
    expect(noDate(text)).toBe("HTTP/1.1 200 OK\r\ncontent-length: 5\r\nconnection: close\r\n\r\nfirst");
  });
});

describe("Http1Server: nothing of one message carries into the next", () => {
  it("drops a chunked request's trailers: they never become fields (or the path) of the next request", async () => {
    const seen: { url: string; headers: Http1Request["headers"] }[] = [];
    const { port } = await start((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      const sink: BodySink = { write: () => true, end: () => res.end(`path=${req.url}`) };
      req.pipe(sink);
    });
    const client = await connect(port);
    // The fourth head has 40 fields: the parser hands them over in pieces, as it does trailers.
    const many = Array.from({ length: 40 }, (_, i) => `X-M${i}: ${i}\r\n`).join("");
    client.send(
      "POST /one HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-Trailer: t1\r\n\r\n" +
        "GET /two HTTP/1.1\r\nHost: a\r\n\r\n" +
        "POST /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-Trailer: t3\r\n\r\n" +
        `GET /four HTTP/1.1\r\nHost: a\r\n${many}\r\n`,
    );
    await client.until((text) => text.includes("path=/four"));
    expect(seen.map((s) => s.url)).toEqual(["/one", "/two", "/three", "/four"]);
    for (const s of seen) expect(s.headers["x-trailer"]).toBeUndefined();
    expect(Object.keys(seen[3].headers).filter((n) => n.startsWith("x-m"))).toHaveLength(40);
  });
});

describe("Http1Server: an invalid request body after the listener has the request", () => {
  const badBodies: [string, string][] = [
    ["a negative chunk size", "-5\r\nhello\r\n0\r\n\r\n"],
    ["an overflowing chunk size", "FFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"],
    ["a bad chunk extension", "5;\x01\r\nhello\r\n0\r\n\r\n"],
  ];
  for (const [what, body] of badBodies) {
    it(`answers 400 at once for ${what}, in the listener's place, and reports it on the response`, async () => {
      let response: Http1Response | null = null;
      let closedWith: string | null = null;
      const { port } = await start((req, res) => {
        response = res;
        res.onClose((r) => (closedWith = r.failure));
        // An upstream that waits for the whole body before answering.
        req.pipe({ write: () => true, end: () => res.end("complete") });
      });
      const client = await connect(port);
      client.send("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
      await waitFor(() => response !== null);
      client.send(body);
      const text = await client.whenClosed(1000);
      expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(bodyOf(text)).code).toBe("bad_request");
      expect(text).not.toContain("complete");
      expect(closedWith).toBe("bad_request");
    });
  }

  it("cuts the connection when the invalid body comes after the response began", async () => {
    const { port } = await start((_req, res) => {
      res.writeHead(200);
      res.write("started");
    });
    const client = await connect(port);
    client.send("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
    await client.until((text) => text.includes("started"));
    client.send("zz\r\n");
    const text = await client.whenClosed(1000);
    expect(text).not.toContain("400");
  });
});

describe("Http1Server: Host and Transfer-Encoding rules", () => {
  async function answer(data: string): Promise<{ text: string; called: number }> {
    let called = 0;
    const { port } = await start((_req, res) => {
      called++;
      res.end("listener");
    });
    const client = await connect(port);
    client.send(data);
    return { text: await client.whenClosed(), called };
  }

  const refusedCases: [string, string, string][] = [
    ["an HTTP/1.1 request without Host", "GET / HTTP/1.1\r\n\r\n", "invalid_host"],
    ["two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "invalid_host"],
    ["a Host that is not a host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "invalid_host"],
    ["Transfer-Encoding: identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\nabc", "bad_request"],
    ["a Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "bad_request"],
  ];
  for (const [what, data, code] of refusedCases) {
    it(`answers 400 ${code} to ${what}, without calling the listener, and closes`, async () => {
      const { text, called } = await answer(data);
      expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(bodyOf(text)).code).toBe(code);
      expect(text.match(/HTTP\/1\.1 \d{3} /g)).toHaveLength(1);
      expect(called).toBe(0);
    });
  }

  it("serves HTTP/1.0 without Host, a host with a port and an IPv6 literal", async () => {
    const { port } = await start(echoUrl);
    for (const head of [
      "GET /a HTTP/1.0\r\n\r\n",
      "GET /a HTTP/1.1\r\nHost: gw.example:8443\r\nConnection: close\r\n\r\n",
      "GET /a HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\n\r\n",
    ]) {
      const client = await connect(port);
      client.send(head);
      expect(await client.whenClosed()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*path=\/a$/);
    }
  });
});

describe("Http1Server: trusted proxies", () => {
  it("marks requests from a trusted peer, and only those", async () => {
    const trusted = new net.BlockList();
    trusted.addAddress("127.0.0.2");
    const marks: boolean[] = [];
    const { port } = await start(
      (req, res) => {
        marks.push(req.fromTrustedProxy);
        res.end();
      },
      { trustedProxies: trusted },
    );
    for (const localAddress of ["127.0.0.1", "127.0.0.2"]) {
      const socket = net.connect({ port, host: "127.0.0.1", localAddress });
      socket.write("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      socket.resume();
      await new Promise((resolve) => socket.on("close", resolve));
    }
    expect(marks).toEqual([false, true]);
  });
});
