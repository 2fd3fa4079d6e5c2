import net from "node:net";
import tls from "node:tls";
import { createParser, PartialHead, RESPONSE, type NativeParser, type RawHeaders } from "./parser";
import type { BodySink } from "./server";
import { ticker, type Watched } from "./ticker";

/**
 * The gateway's upstream client: keep-alive connections per origin over node:net (or node:tls),
 * Node's own parser for responses, one request per connection at a time (no pipelining, so a
 * slow response never holds up another).
 *
 * A connection is used again only when nothing can be left on it from the exchange before
 * (gateway/README.md, "Which connection is used again"): its response was read in full and
 * ended exactly at the end of what the connection had read, the request body was sent in
 * full, the upstream allows keep-alive, and no byte arrives while it is idle. It goes back to the pool after the read that ended the
 * response has been parsed to its end, and becomes available on the next turn of the event
 * loop, so bytes that were already on their way are read, and retire it, before any other
 * request can be written on it. Trailers are read and dropped.
 */

export interface ClientOptions {
  connectTimeoutMs: number;
  /** From the request's last byte to the response's head (ms); a request may ask for less or more. */
  headersTimeoutMs: number;
  /** Longest wait between two pieces of the response body (ms). */
  bodyTimeoutMs: number;
  /** An idle pooled connection is closed after this long (ms). */
  keepAliveTimeoutMs: number;
  /** Extra trusted CAs for TLS upstreams. */
  ca?: string | Buffer;
}

export type UpstreamErrorCode = "connect_timeout" | "headers_timeout" | "body_timeout" | "unreachable" | "reset" | "protocol" | "aborted";

export class UpstreamError extends Error {
  constructor(
    readonly code: UpstreamErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What happens to one upstream response. */
export interface ResponseHandler {
  /** Status and raw headers (name, value, …) of the final response (1xx are skipped). */
  onHead(status: number, headers: RawHeaders): void;
  /** A body chunk; false asks for a pause until `Exchange.resume()`. */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  /** Once, instead of `onEnd`; after `onHead` when the body broke off. */
  onError(error: UpstreamError): void;
}

/** The source of a request body: it pushes into the sink it is given and pauses when asked. */
export interface BodySource {
  pipe(sink: BodySink): void;
  resume(): void;
}

export interface UpstreamRequest {
  /** `http:` or `https:`, host and port, as parsed by `parseOrigin`. */
  origin: Origin;
  method: string;
  /**
   * The request line and headers, CRLF-terminated lines without the blank line: framing
   * headers (Content-Length or Transfer-Encoding) are the caller's, matching `body`.
   */
  head: string;
  body: BodySource | null;
  /** The body is sent as is (the head has Content-Length); else it is sent chunked. */
  bodyHasLength: boolean;
  headersTimeoutMs?: number;
}

export interface Origin {
  key: string;
  tls: boolean;
  host: string;
  port: number;
  /** The Host header value for this origin. */
  hostHeader: string;
}

export function parseOrigin(origin: string): Origin {
  const url = new URL(origin);
  const secure = url.protocol === "https:";
  if (!secure && url.protocol !== "http:") throw new Error(`Unsupported upstream protocol ${url.protocol}`);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  return { key: `${url.protocol}//${url.host}`, tls: secure, host, port, hostHeader: url.host };
}

/** A request in flight; `abort` cancels it (the connection is then discarded). */
export interface Exchange {
  abort(): void;
  /** After `onData` returned false: read on. */
  resume(): void;
}

const enum Phase {
  Connecting,
  AwaitingHead,
  ReadingBody,
  Done,
}

class UpstreamExchange implements Exchange, BodySink {
  conn: UpstreamConnection | null = null;
  phase = Phase.Connecting;
  /** Bytes of the response seen (decides whether a failed reused connection may be retried). */
  received = false;
  bodySent: boolean;
  deadline = 0;
  attempts = 0;

  constructor(
    readonly client: UpstreamClient,
    readonly request: UpstreamRequest,
    readonly handler: ResponseHandler,
  ) {
    this.bodySent = request.body === null;
  }

  abort(): void {
    if (this.phase === Phase.Done) return;
    this.fail(new UpstreamError("aborted", "The request was cancelled."));
  }

  resume(): void {
    this.conn?.socket.resume();
  }

  /** The headers timeout runs from the request's last byte: while the body goes out, it restarts. */
  private rearm(): void {
    if (this.phase === Phase.AwaitingHead)
      this.deadline = ticker.now + (this.request.headersTimeoutMs ?? this.client.options.headersTimeoutMs);
  }

  // Request body → upstream socket.
  write(chunk: Buffer): boolean {
    const socket = this.conn?.socket;
    if (!socket || this.phase === Phase.Done) return true;
    this.rearm();
    if (this.request.bodyHasLength) return socket.write(chunk);
    socket.write(`${chunk.length.toString(16)}\r\n`, "latin1");
    socket.write(chunk);
    return socket.write("\r\n", "latin1");
  }

  end(): void {
    const socket = this.conn?.socket;
    if (!socket || this.phase === Phase.Done) return;
    if (!this.request.bodyHasLength) socket.write("0\r\n\r\n", "latin1");
    this.bodySent = true;
    this.rearm();
  }

  fail(error: UpstreamError): void {
    if (this.phase === Phase.Done) return;
    this.phase = Phase.Done;
    const conn = this.conn;
    this.conn = null;
    conn?.discard();
    this.handler.onError(error);
  }
}

const LF = 0x0a;
const BLANK_LINE = Buffer.from("\r\n\r\n", "latin1");
/** What follows the last data chunk of a chunked body without extensions or trailers. */
const LAST_CHUNK = Buffer.from("\r\n0\r\n\r\n", "latin1");

/**
 * Where every plain-TCP upstream connection reads into. One is enough: reads happen one at a
 * time on this thread, and each is parsed before the callback returns.
 */
const SHARED_READ_BUFFER = Buffer.alloc(64 * 1024);

class UpstreamConnection implements Watched {
  readonly parser: NativeParser;
  private readonly partial = new PartialHead();
  exchange: UpstreamExchange | null = null;
  /** Came from the pool (a failure before any answer may be the upstream closing it meanwhile). */
  reused = false;
  private keepAlive = false;
  private idleSince = 0;
  closed = false;
  /** The exchange whose response ended in the read being parsed: settled once the read is parsed to its end. */
  private ended: UpstreamExchange | null = null;
  /** A message began after the last response ended: the upstream sent more than it was asked for. */
  private overrun = false;
  /** The last body chunk parsed from the read being parsed (null before any). */
  private lastChunk: Buffer | null = null;

  constructor(
    readonly socket: net.Socket,
    readonly pool: OriginPool,
    /** The socket reads into `SHARED_READ_BUFFER` (`onRead`) instead of emitting owned chunks. */
    sharedReads: boolean,
  ) {
    this.parser = createParser(RESPONSE, this, this.partial);
    if (!sharedReads) socket.on("data", (data: Buffer) => this.onData(data));
    socket.on("end", () => this.onEnd());
    socket.on("error", (error: NodeJS.ErrnoException) => this.onSocketError(error));
    socket.on("close", () => this.onClose());
    socket.on("drain", () => this.exchange?.request.body?.resume());
    ticker.add(this);
  }

  start(exchange: UpstreamExchange): void {
    this.exchange = exchange;
    exchange.conn = this;
    const { request } = exchange;
    exchange.deadline = ticker.now + (request.headersTimeoutMs ?? this.pool.client.options.headersTimeoutMs);
    if (exchange.phase === Phase.Connecting) exchange.phase = Phase.AwaitingHead;
    this.socket.write(`${request.head}\r\n`, "latin1");
    if (request.body) request.body.pipe(exchange);
  }

  /** `nread` bytes arrived in `SHARED_READ_BUFFER`: parsed before the next read can overwrite them. */
  onRead(nread: number): boolean {
    this.onData(SHARED_READ_BUFFER.subarray(0, nread));
    // Pausing (back-pressure) is done by socket.pause(); returning false would pause as well.
    return true;
  }

  private onData(data: Buffer): void {
    const exchange = this.exchange;
    if (!exchange) {
      // Bytes on an idle connection: the upstream is confused; the connection is not reused.
      this.discard();
      return;
    }
    exchange.received = true;
    this.lastChunk = null;
    const result = this.parser.execute(data);
    if (this.ended !== null) return this.settle(typeof result === "number" && this.endsExactly(data));
    if (typeof result === "number") return;
    this.exchange?.fail(new UpstreamError("protocol", `The upstream's response is not valid HTTP/1.1 (${result.code}).`));
  }

  /**
   * Whether the response that ended in `data` ended at its last byte. The parser reports no
   * position, and silently skips CR and LF between messages, so the end is checked from what
   * the read must end with: the last body chunk it carried (sized), that chunk and the last
   * chunk's line (chunked), or else the blank line closing a head or a chunked body, after a
   * byte that is not LF. Anything else, including bodies whose last chunk had extensions or
   * trailers, counts as not exact: the connection is retired, never wrongly reused.
   */
  private endsExactly(data: Buffer): boolean {
    const n = data.length;
    const chunk = this.lastChunk;
    this.lastChunk = null;
    if (chunk !== null) {
      if (n >= chunk.length && data.subarray(n - chunk.length).equals(chunk)) return true;
      const end = n - LAST_CHUNK.length;
      return end >= chunk.length && data.subarray(end).equals(LAST_CHUNK) && data.subarray(end - chunk.length, end).equals(chunk);
    }
    return n >= 5 && data[n - 5] !== LF && data.subarray(n - 4).equals(BLANK_LINE);
  }

  /**
   * The read that ended a response has been parsed to its end: the connection goes back to the
   * pool only if nothing followed the response in it, then the response is handed on.
   */
  private settle(parsedCleanly: boolean): void {
    const ended = this.ended!;
    this.ended = null;
    if (parsedCleanly && !this.overrun && this.keepAlive && ended.bodySent && !this.closed) this.pool.release(this);
    else this.discard();
    ended.handler.onEnd();
  }

  onMessageBegin(): void {
    // A new message starts: nothing of the one before may leak into it (partial fields, trailers).
    this.partial.reset();
    // A response nobody asked for (after the last one ended, or on an idle connection): the
    // connection is out of step and is not used again; the bytes are never handed to anyone.
    if (this.ended !== null || !this.exchange) this.overrun = true;
  }

  onHeadersComplete(
    _major: number,
    _minor: number,
    headers: RawHeaders | undefined,
    _method: number | undefined,
    _url: string | undefined,
    status: number | undefined,
    _message: string | undefined,
    upgrade: boolean,
    shouldKeepAlive: boolean,
  ): number {
    if (headers === undefined) headers = this.partial.take().headers;
    if (this.overrun) return 1;
    const exchange = this.exchange;
    if (!exchange) return 0;
    const code = status ?? 0;
    if (code < 200) {
      // 100 Continue, 103 Early Hints: informational, the final response follows. A 101 was never asked for.
      if (code === 101 || upgrade) exchange.fail(new UpstreamError("protocol", "The upstream switched protocols unasked."));
      return 0;
    }
    this.keepAlive = shouldKeepAlive;
    exchange.phase = Phase.ReadingBody;
    exchange.deadline = ticker.now + this.pool.client.options.bodyTimeoutMs;
    exchange.handler.onHead(code, headers);
    // A response to HEAD has no body whatever its headers say.
    return exchange.request.method === "HEAD" ? 1 : 0;
  }

  onBody(chunk: Buffer): void {
    const exchange = this.exchange;
    if (!exchange || exchange.phase !== Phase.ReadingBody || this.overrun) return;
    exchange.deadline = ticker.now + this.pool.client.options.bodyTimeoutMs;
    // The parser hands over body bytes as a copy, never as a view of the read buffer, so the
    // chunk stays intact after later reads into the shared buffer (client.test.ts checks it).
    this.lastChunk = chunk;
    if (!exchange.handler.onData(chunk)) this.socket.pause();
  }

  onMessageComplete(): void {
    // Trailers arrive as fields just before this: read and dropped, never kept for the next message.
    this.partial.reset();
    const exchange = this.exchange;
    if (!exchange || exchange.phase !== Phase.ReadingBody || this.overrun) return;
    exchange.phase = Phase.Done;
    exchange.conn = null;
    this.exchange = null;
    // Settled (pooled or not, then handed on) once the parser has read the rest of this read.
    this.ended = exchange;
  }

  private onEnd(): void {
    // A body delimited by the end of the connection ends here.
    if (this.exchange?.phase === Phase.ReadingBody) {
      this.closed = true;
      const result = this.parser.finish();
      if (this.ended !== null) this.settle(false);
      else if (result instanceof Error)
        this.exchange?.fail(new UpstreamError("protocol", "The upstream closed the connection in the middle of the response."));
    }
    this.onClose();
  }

  private onSocketError(error: NodeJS.ErrnoException): void {
    const exchange = this.exchange;
    if (!exchange) return this.discard();
    const code: UpstreamErrorCode = exchange.phase === Phase.Connecting ? "unreachable" : "reset";
    this.lost(exchange, new UpstreamError(code, error.message));
  }

  private onClose(): void {
    const exchange = this.exchange;
    this.closed = true;
    this.pool.forget(this);
    ticker.delete(this);
    if (exchange && exchange.phase !== Phase.Done)
      this.lost(
        exchange,
        new UpstreamError(exchange.phase === Phase.Connecting ? "unreachable" : "reset", "The upstream closed the connection."),
      );
  }

  /** The connection broke under a request: retried once on a new connection when nothing was answered and nothing can have been half-sent. */
  private lost(exchange: UpstreamExchange, error: UpstreamError): void {
    this.exchange = null;
    exchange.conn = null;
    this.discard();
    if (this.reused && !exchange.received && exchange.request.body === null && exchange.attempts === 0 && exchange.phase !== Phase.Done) {
      exchange.attempts++;
      exchange.phase = Phase.Connecting;
      this.pool.dispatch(exchange, true);
      return;
    }
    exchange.fail(error);
  }

  /** The connection is not used again. */
  discard(): void {
    this.exchange = null;
    this.closed = true;
    this.pool.forget(this);
    ticker.delete(this);
    if (!this.socket.destroyed) this.socket.destroy();
  }

  markIdle(): void {
    this.reused = true;
    this.idleSince = ticker.now;
  }

  tick(now: number): void {
    const exchange = this.exchange;
    if (exchange) {
      if (exchange.deadline !== 0 && now > exchange.deadline) {
        const code =
          exchange.phase === Phase.Connecting
            ? "connect_timeout"
            : exchange.phase === Phase.AwaitingHead
              ? "headers_timeout"
              : "body_timeout";
        exchange.fail(new UpstreamError(code, "The upstream did not answer in time."));
      }
    } else if (now - this.idleSince > this.pool.client.options.keepAliveTimeoutMs) this.discard();
  }
}

class OriginPool {
  private readonly idle: UpstreamConnection[] = [];
  private readonly all = new Set<UpstreamConnection>();

  constructor(
    readonly client: UpstreamClient,
    readonly origin: Origin,
  ) {}

  dispatch(exchange: UpstreamExchange, fresh = false): void {
    const conn = fresh ? undefined : this.idle.pop();
    if (conn) return conn.start(exchange);
    const { origin } = this;
    // Plain TCP reads go through `onread`: into one buffer, straight to the parser, without a
    // stream 'data' event, a fresh buffer and a next-tick per read. (TLS sockets do not offer it.)
    let created: UpstreamConnection | null = null;
    const socket = origin.tls
      ? tls.connect({
          host: origin.host,
          port: origin.port,
          servername: net.isIP(origin.host) ? undefined : origin.host,
          ALPNProtocols: ["http/1.1"],
          ca: this.client.options.ca,
        })
      : net.connect({
          host: origin.host,
          port: origin.port,
          onread: { buffer: SHARED_READ_BUFFER, callback: (nread: number) => created?.onRead(nread) ?? true },
        });
    socket.setNoDelay(true);
    created = new UpstreamConnection(socket, this, !origin.tls);
    this.all.add(created);
    exchange.phase = Phase.Connecting;
    exchange.conn = created;
    created.exchange = exchange;
    exchange.deadline = ticker.now + this.client.options.connectTimeoutMs;
    socket.once(origin.tls ? "secureConnect" : "connect", () => {
      if (created.exchange === exchange && exchange.phase === Phase.Connecting) created.start(exchange);
    });
  }

  /** Back to the pool, usable from the next turn of the event loop (see the module comment). */
  release(conn: UpstreamConnection): void {
    conn.markIdle();
    this.client.later(this, conn);
  }

  /** @internal The connection's turn has passed: another request may use it. */
  admit(conn: UpstreamConnection): void {
    if (!conn.closed && conn.exchange === null) this.idle.push(conn);
  }

  forget(conn: UpstreamConnection): void {
    this.all.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
  }

  close(): void {
    for (const conn of [...this.all]) {
      if (conn.exchange) conn.exchange.fail(new UpstreamError("aborted", "The client was closed."));
      else conn.discard();
    }
  }
}

export class UpstreamClient {
  private readonly pools = new Map<string, OriginPool>();
  /** Connections released in this turn of the event loop, admitted to their pools on the next. */
  private releasing: [OriginPool, UpstreamConnection][] = [];
  private readonly admitAll = () => {
    const released = this.releasing;
    this.releasing = [];
    for (const [pool, conn] of released) pool.admit(conn);
  };

  constructor(readonly options: ClientOptions) {}

  /** @internal One immediate per turn, however many connections were released in it. */
  later(pool: OriginPool, conn: UpstreamConnection): void {
    if (this.releasing.length === 0) setImmediate(this.admitAll);
    this.releasing.push([pool, conn]);
  }

  request(request: UpstreamRequest, handler: ResponseHandler): Exchange {
    let pool = this.pools.get(request.origin.key);
    if (!pool) {
      pool = new OriginPool(this, request.origin);
      this.pools.set(request.origin.key, pool);
    }
    const exchange = new UpstreamExchange(this, request, handler);
    pool.dispatch(exchange);
    return exchange;
  }

  /** Closes every connection; requests in flight fail. */
  close(): void {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }
}
