import type { IncomingHttpHeaders } from "node:http";
import net from "node:net";
import {
  createParser,
  headerObject,
  lowerName,
  METHODS,
  PartialHead,
  REQUEST,
  type NativeParser,
  type ParseError,
  type RawHeaders,
} from "./parser";
import { ticker, type Watched } from "./ticker";

/**
 * The gateway's HTTP/1.1 server: node:net sockets, Node's own parser, and a request/response
 * pair that holds only what a proxy needs. One exchange runs per connection at a time: a
 * pipelined request waits (with the socket paused) until the response before it has ended, so
 * responses leave in order and none is buffered whole in memory.
 */

export interface ServerOptions {
  /** An idle keep-alive connection is closed after this long (ms). */
  keepAliveTimeoutMs: number;
  /** A request head must arrive in full within this long of its first byte (ms): slow-head attacks. */
  headersTimeoutMs: number;
  /** A request must be answered in full within this long of its head (ms). */
  requestTimeoutMs: number;
  maxHeaderSize?: number;
  /**
   * Peers whose forwarding fields (X-Forwarded-*, Forwarded, X-Real-IP, Via) are kept and
   * extended: the front proxies in front of the gateway. Everyone else's are replaced.
   */
  trustedProxies?: net.BlockList | null;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = { keepAliveTimeoutMs: 65_000, headersTimeoutMs: 60_000, requestTimeoutMs: 300_000 };

export type RequestListener = (req: Http1Request, res: Http1Response) => void;

/** Where a request body goes: a write that returns false asks for a pause until `resume` is called. */
export interface BodySink {
  write(chunk: Buffer): boolean;
  end(): void;
}

export type HeaderValue = string | number | readonly string[];

const BODY_HIGH_WATER = 64 * 1024;

export class Http1Request {
  /** Lower-case names; repeated values joined as node:http does. */
  readonly headers: IncomingHttpHeaders;
  /** True when the request carries a body (a length above 0, or chunked). */
  readonly hasBody: boolean;
  private sink: BodySink | null = null;
  private pending: Buffer[] | null = null;
  private pendingBytes = 0;
  /** The whole body has been read. */
  complete = false;
  private discard = false;

  constructor(
    private readonly conn: Connection,
    readonly method: string,
    readonly url: string,
    readonly rawHeaders: RawHeaders,
    readonly httpVersionMinor: number,
  ) {
    this.headers = headerObject(rawHeaders) as IncomingHttpHeaders;
    const length = this.headers["content-length"];
    this.hasBody = length !== undefined ? length !== "0" : this.headers["transfer-encoding"] !== undefined;
  }

  get remoteAddress(): string {
    return this.conn.remoteAddress;
  }

  /** The peer is a trusted front proxy (`ServerOptions.trustedProxies`). */
  get fromTrustedProxy(): boolean {
    return this.conn.trusted;
  }

  /** Sends the body to `sink` as it arrives (what came before is replayed first). */
  pipe(sink: BodySink): void {
    this.sink = sink;
    const pending = this.pending;
    this.pending = null;
    this.pendingBytes = 0;
    let flowing = true;
    if (pending) for (const chunk of pending) flowing = sink.write(chunk) && flowing;
    if (this.complete) sink.end();
    else if (!flowing) this.conn.pauseBody();
    else this.conn.resumeBody();
  }

  /** After a paused write: read on. */
  resume(): void {
    this.conn.resumeBody();
  }

  /** @internal */
  push(chunk: Buffer): void {
    if (this.discard) return;
    if (this.sink) {
      if (!this.sink.write(chunk)) this.conn.pauseBody();
      return;
    }
    (this.pending ??= []).push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes > BODY_HIGH_WATER) this.conn.pauseBody();
  }

  /** @internal */
  finish(): void {
    this.complete = true;
    this.sink?.end();
  }

  /** @internal The response ended before the body was read: the rest is read and dropped. */
  drop(): void {
    this.discard = true;
    this.sink = null;
    this.pending = null;
    this.conn.resumeBody();
  }
}

const REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  206: "Partial Content",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A CR, LF or NUL in a header would split the response: such values are refused. */
const UNSAFE_VALUE = /[\r\n\0]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Header names checked once and remembered in lower case (the gateway's own few names repeat on every response). */
const checkedNames = new Map<string, string>();
function checkedName(name: string): string {
  let lower = checkedNames.get(name);
  if (lower === undefined) {
    if (!TOKEN.test(name)) throw new Error(`Refusing header name ${JSON.stringify(name)}`);
    lower = name.toLowerCase();
    if (checkedNames.size < 1_000) checkedNames.set(name, lower);
  }
  return lower;
}

function headerLine(name: string, value: string): string {
  if (UNSAFE_VALUE.test(value)) throw new Error(`Refusing header ${name}: its value holds a line break.`);
  return `${name}: ${value}\r\n`;
}

export class Http1Response {
  statusCode = 200;
  headersSent = false;
  /** The response was handed to the socket in full. */
  finished = false;
  /** The body length announced in Content-Length, if any. */
  contentLength: number | undefined;
  private head: string | null = null;
  private chunked = false;
  private noBody = false;
  private closeListener: ((res: Http1Response) => void) | null = null;
  /** Free for the listener: what it wants to find again when the response closes. */
  context: unknown = null;
  private closed = false;
  /** @internal An answer the connection gives itself instead of calling the listener. */
  preset: (() => void) | null = null;
  /** The stable code of the error the server answered with itself (an invalid request body), if it did. */
  failure: string | null = null;

  constructor(
    private readonly conn: Connection,
    readonly req: Http1Request,
    /** Keep the connection open after this response (the client allows it). */
    public keepAlive: boolean,
  ) {}

  /** Sent in full, or abandoned: nothing more can be written. */
  get done(): boolean {
    return this.finished || this.closed;
  }

  /**
   * The server answers in the listener's place with a problem document and closes the
   * connection (the request turned out invalid after the listener had it): whatever the
   * listener wrote but did not send is dropped; once bytes have gone out, the connection is cut.
   */
  fail(status: number, code: string, detail: string): void {
    if (this.done) return;
    this.failure = code;
    if (this.headersSent) return this.conn.destroy();
    this.head = null;
    this.keepAlive = false;
    const body = problemJson(status, code, detail);
    this.writeHead(status, {
      "content-type": "application/problem+json",
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
    });
    this.end(body);
  }

  /** Called once, when the response has been sent in full or the connection went away first. */
  onClose(listener: (res: Http1Response) => void): void {
    this.closeListener = listener;
  }

  /**
   * Status and headers; `raw` holds name/value pairs (an upstream's) sent as they are, `headers`
   * more to add. Framing headers (Content-Length or chunked, Connection, Date) are settled here.
   */
  writeHead(status: number, headers?: Record<string, HeaderValue | undefined>, raw?: RawHeaders): this {
    if (this.head !== null || this.headersSent) throw new Error("Headers already written");
    this.statusCode = status;
    let out = `HTTP/1.1 ${status} ${REASONS[status] ?? "Unknown"}\r\n`;
    let length: string | undefined;
    let hasDate = false;
    if (raw) {
      // Pairs read by the parser (an upstream's): its strict mode already refused line breaks in them.
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i];
        if (name.length === 14 && lowerName(name) === "content-length") {
          length = raw[i + 1];
          continue;
        }
        if (name.length === 4 && lowerName(name) === "date") hasDate = true;
        out += `${name}: ${raw[i + 1]}\r\n`;
      }
    }
    if (headers) {
      for (const name in headers) {
        const value = headers[name];
        if (value === undefined) continue;
        const lower = checkedName(name);
        if (lower === "content-length") {
          length = String(value);
          continue;
        }
        if (lower === "connection" || lower === "transfer-encoding" || lower === "keep-alive") {
          if (lower === "connection" && String(value).toLowerCase() === "close") this.keepAlive = false;
          continue;
        }
        if (lower === "date") hasDate = true;
        if (typeof value === "object") for (const v of value) out += headerLine(name, v);
        else out += headerLine(name, typeof value === "number" ? String(value) : value);
      }
    }
    const method = this.req.method;
    if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
      this.noBody = true;
    } else if (length !== undefined) {
      if (!/^\d+$/.test(length)) throw new Error(`Refusing Content-Length ${JSON.stringify(length)}`);
      this.contentLength = Number(length);
      out += `content-length: ${length}\r\n`;
    } else if (method !== "HEAD") {
      if (this.req.httpVersionMinor >= 1) {
        this.chunked = true;
        out += "transfer-encoding: chunked\r\n";
      } else {
        // An HTTP/1.0 client learns the end of the body from the end of the connection.
        this.keepAlive = false;
      }
    }
    if (method === "HEAD") this.noBody = true;
    if (!hasDate) out += `date: ${ticker.date}\r\n`;
    if (this.conn.server.draining) this.keepAlive = false;
    if (!this.keepAlive) out += "connection: close\r\n";
    else if (this.req.httpVersionMinor === 0) out += "connection: keep-alive\r\n";
    this.head = `${out}\r\n`;
    return this;
  }

  /** Writes a body chunk; false when the socket's buffer is full (wait for `onDrain`). */
  write(chunk: Buffer | string): boolean {
    if (this.finished || this.closed) return false;
    if (this.head === null && !this.headersSent) this.writeHead(this.statusCode);
    const data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (data.length === 0) return true;
    return this.send(data, false);
  }

  /** Ends the response, with a last chunk if given: one socket write for head and body when it can. */
  end(chunk?: Buffer | string): void {
    if (this.finished || this.closed) return;
    if (this.head === null && !this.headersSent) {
      // A whole body at once: sized, not chunked.
      this.writeHead(this.statusCode, {
        "content-length": chunk === undefined ? 0 : typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length,
      });
    }
    const data = chunk === undefined ? null : typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    this.finished = true;
    this.send(data && data.length > 0 ? data : null, true);
    this.conn.responseDone(this);
  }

  /** Calls back once the socket can take more. */
  onDrain(listener: () => void): void {
    this.conn.socket.once("drain", listener);
  }

  /** Cuts the connection (a response that cannot be completed). */
  destroy(): void {
    this.conn.destroy();
  }

  /** @internal */
  notifyClosed(): void {
    if (this.closed) return;
    this.closed = true;
    const listener = this.closeListener;
    this.closeListener = null;
    listener?.(this);
  }

  private send(data: Buffer | null, last: boolean): boolean {
    const socket = this.conn.socket;
    if (this.noBody) data = null;
    let head: string | null = null;
    if (this.head !== null) {
      head = this.head;
      this.head = null;
      this.headersSent = true;
    }
    if (this.chunked) {
      const framed = data ? `${data.length.toString(16)}\r\n` : "";
      const tail = data ? (last ? "\r\n0\r\n\r\n" : "\r\n") : last ? "0\r\n\r\n" : "";
      if (!data) return socket.write((head ?? "") + tail, "latin1");
      return writeParts(socket, (head ?? "") + framed, data, tail);
    }
    if (!data) return head === null ? true : socket.write(head, "latin1");
    return writeParts(socket, head ?? "", data, "");
  }
}

/** Small bodies are copied next to the head and sent in one write; large ones are corked into one writev. */
function writeParts(socket: net.Socket, before: string, data: Buffer, after: string): boolean {
  if (before === "" && after === "") return socket.write(data);
  if (data.length <= 16 * 1024) {
    const b = before.length;
    const out = Buffer.allocUnsafe(b + data.length + after.length);
    out.write(before, 0, "latin1");
    data.copy(out, b);
    if (after) out.write(after, b + data.length, "latin1");
    return socket.write(out);
  }
  socket.cork();
  if (before) socket.write(before, "latin1");
  socket.write(data);
  const ok = after ? socket.write(after, "latin1") : socket.writableLength < socket.writableHighWaterMark;
  socket.uncork();
  return ok;
}

const PARSE_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "request_header_too_large"],
};

/** One client connection. */
export class Connection implements Watched {
  readonly parser: NativeParser;
  private readonly partial = new PartialHead();
  /** The exchange being answered, and requests read behind it (pipelined). */
  private active: Http1Response | null = null;
  private readonly waiting: Http1Response[] = [];
  /** The request whose body the parser is reading. */
  private reading: Http1Request | null = null;
  private bodyPaused = false;
  private queuePaused = false;
  private headStartedAt = 0;
  /** When the body being read must have arrived in full. */
  private bodyDeadline = 0;
  /** The input is not valid HTTP: nothing more is read. */
  private broken = false;
  private lastActive = ticker.now;
  /** After a response that closes the connection: nothing more is answered. */
  private closing = false;
  readonly remoteAddress: string;
  /** The peer is a trusted front proxy. */
  readonly trusted: boolean;

  constructor(
    readonly socket: net.Socket,
    readonly server: Http1Server,
  ) {
    this.remoteAddress = peerAddress(socket);
    const trustedProxies = server.options.trustedProxies;
    this.trusted =
      !!trustedProxies &&
      this.remoteAddress !== "" &&
      trustedProxies.check(this.remoteAddress, net.isIPv6(this.remoteAddress) ? "ipv6" : "ipv4");
    socket.setNoDelay(true);
    this.parser = createParser(REQUEST, this, this.partial, server.options.maxHeaderSize);
    socket.on("data", (data: Buffer) => this.onData(data));
    socket.on("end", () => this.onEnd());
    socket.on("error", () => this.destroy());
    socket.on("close", () => this.onSocketClose());
    ticker.add(this);
  }

  /** No exchange in progress and no request half-read. */
  get idle(): boolean {
    return this.active === null && this.headStartedAt === 0 && this.reading === null;
  }

  private onData(data: Buffer): void {
    if (this.broken) return;
    this.lastActive = ticker.now;
    const result = this.parser.execute(data);
    if (typeof result !== "number") this.parseFailed(result);
  }

  private onEnd(): void {
    // A client that closes its side has given up on what is in progress (as node:http and nginx
    // take it): the connection closes, and so the upstream exchange is cancelled.
    if (this.active === null) this.socket.end();
    else this.destroy();
  }

  // Parser callbacks (`this` is the connection).
  onMessageBegin(): void {
    this.headStartedAt = ticker.now;
    // Nothing of the message before (fields of a long head, trailers) carries into this one.
    this.partial.reset();
  }

  onHeadersComplete(
    _major: number,
    minor: number,
    headers: RawHeaders | undefined,
    method: number | undefined,
    url: string | undefined,
    _status: number | undefined,
    _message: string | undefined,
    upgrade: boolean,
    shouldKeepAlive: boolean,
  ): number {
    if (headers === undefined || url === undefined) {
      const taken = this.partial.take();
      headers ??= taken.headers;
      url ??= taken.url;
    }
    this.headStartedAt = 0;
    const req = new Http1Request(this, METHODS[method ?? 1] ?? "GET", url, headers, minor);
    const res = new Http1Response(this, req, shouldKeepAlive && !upgrade);
    this.reading = req;
    this.bodyDeadline = ticker.now + this.server.options.requestTimeoutMs;
    const refusal = refuseRequest(req);
    if (refusal) {
      // Answered without the listener, and the connection closes: the request never goes on.
      res.preset = () => res.fail(400, refusal[0], refusal[1]);
    } else if (upgrade) {
      // No protocol switches (WebSocket, CONNECT): answered, then the connection closes.
      res.preset = () =>
        res
          .writeHead(501, { "content-type": "application/problem+json" })
          .end(problemJson(501, "upgrade_not_supported", "The gateway does not switch protocols."));
    }
    this.queue(res);
    return 0;
  }

  onBody(chunk: Buffer): void {
    this.reading?.push(chunk);
  }

  onMessageComplete(): void {
    // A chunked request's trailers were handed over as fields just before: they are dropped.
    this.partial.reset();
    const req = this.reading;
    this.reading = null;
    req?.finish();
  }

  private queue(res: Http1Response): void {
    if (this.active === null) this.begin(res);
    else {
      this.waiting.push(res);
      if (!this.queuePaused) {
        this.queuePaused = true;
        this.socket.pause();
      }
    }
  }

  private begin(res: Http1Response): void {
    this.active = res;
    const answer = res.preset;
    const req = res.req;
    if (req.headers.expect !== undefined && req.hasBody && !req.complete && String(req.headers.expect).toLowerCase() === "100-continue") {
      this.socket.write("HTTP/1.1 100 Continue\r\n\r\n", "latin1");
    }
    try {
      if (answer) answer();
      else this.server.listener(req, res);
    } catch (error) {
      this.server.onError(error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
      else this.destroy();
    }
  }

  /** @internal Called by a response once it has been handed to the socket in full. */
  responseDone(res: Http1Response): void {
    if (res !== this.active) return;
    this.active = null;
    this.lastActive = ticker.now;
    if (!res.req.complete) res.req.drop();
    res.notifyClosed();
    if (!res.keepAlive || this.server.draining) {
      this.closeAfterWrite();
      return;
    }
    const next = this.waiting.shift();
    if (next) this.begin(next);
    else if (this.queuePaused) {
      this.queuePaused = false;
      if (!this.bodyPaused) this.socket.resume();
    }
    if (this.socket.readableEnded && this.active === null) this.socket.end();
  }

  pauseBody(): void {
    if (this.bodyPaused) return;
    this.bodyPaused = true;
    this.socket.pause();
  }

  resumeBody(): void {
    if (!this.bodyPaused) return;
    this.bodyPaused = false;
    if (!this.queuePaused) this.socket.resume();
  }

  private parseFailed(error: ParseError): void {
    const [status, code] = PARSE_ERRORS[error.code] ?? [400, "bad_request"];
    const active = this.active;
    // The body of the request being answered is invalid (a bad chunk, an unusable framing):
    // its upstream exchange must not wait for the rest, which will never come.
    const inActiveBody = active !== null && this.reading === active.req;
    this.stopReading();
    if (this.closing) return;
    if (active === null) this.answerAndClose(status, code, "The request is not valid HTTP/1.1.");
    else if (inActiveBody) active.fail(status, code, "The request body is not valid HTTP/1.1.");
    // A response in progress for an earlier request is finished first; the connection closes after it.
    else active.keepAlive = false;
  }

  /** Nothing more is read from this connection; requests read behind the active one are dropped. */
  private stopReading(): void {
    this.broken = true;
    this.socket.pause();
    this.reading = null;
    this.headStartedAt = 0;
    for (const res of this.waiting.splice(0)) res.notifyClosed();
  }

  private answerAndClose(status: number, code: string, detail: string): void {
    const body = problemJson(status, code, detail);
    this.socket.write(
      `HTTP/1.1 ${status} ${REASONS[status]}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\ndate: ${ticker.date}\r\nconnection: close\r\n\r\n${body}`,
      "latin1",
    );
    this.closeAfterWrite();
  }

  private closeAfterWrite(): void {
    this.closing = true;
    this.socket.end();
    this.socket.destroySoon();
  }

  destroy(): void {
    if (!this.socket.destroyed) this.socket.destroy();
    this.onSocketClose();
  }

  private onSocketClose(): void {
    ticker.delete(this);
    this.server.forget(this);
    this.finishAll();
  }

  private finishAll(): void {
    const active = this.active;
    this.active = null;
    active?.notifyClosed();
    for (const res of this.waiting.splice(0)) res.notifyClosed();
  }

  tick(now: number): void {
    const o = this.server.options;
    const slowHead = this.headStartedAt !== 0 && now - this.headStartedAt > o.headersTimeoutMs;
    const slowBody = this.reading !== null && now > this.bodyDeadline;
    if (slowHead || slowBody) {
      this.stopReading();
      // Too late to answer once a response has started: the connection is cut.
      if (this.active?.headersSent) this.destroy();
      else {
        this.active?.notifyClosed();
        this.active = null;
        this.answerAndClose(408, "request_timeout", "The request took too long to arrive.");
      }
    } else if (this.idle && now - this.lastActive > o.keepAliveTimeoutMs) this.destroy();
  }
}

/** The peer's address, IPv4-mapped IPv6 addresses written as IPv4. */
function peerAddress(socket: net.Socket): string {
  const address = socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** A Host value: a registered name or an IP literal, with an optional port (RFC 9110 §7.2, RFC 3986 §3.2.2). */
const HOST_VALUE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~%!$&'()*+,;=]*)(?::\d*)?$/;

/**
 * Requests refused before they go anywhere, with the code and reason: Host missing from an
 * HTTP/1.1 request, repeated, or not a host (RFC 9112 §3.2: 400), and a Transfer-Encoding
 * whose last coding is not chunked, or any on HTTP/1.0 (RFC 9112 §6.1, §6.3: 400 and close).
 */
function refuseRequest(req: Http1Request): [string, string] | null {
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 4 && lowerName(raw[i]) === "host") hosts++;
  if (hosts > 1) return ["invalid_host", "The request has more than one Host field."];
  if (hosts === 0 && req.httpVersionMinor >= 1) return ["invalid_host", "An HTTP/1.1 request must have a Host field."];
  const host = req.headers.host;
  if (host !== undefined && !HOST_VALUE.test(host)) return ["invalid_host", "The Host field is not a host name."];
  const te = req.headers["transfer-encoding"];
  if (te !== undefined) {
    if (req.httpVersionMinor === 0) return ["bad_request", "An HTTP/1.0 request cannot have a Transfer-Encoding."];
    const codings = te.split(",");
    if (codings[codings.length - 1].trim().toLowerCase() !== "chunked")
      return ["bad_request", "The request's Transfer-Encoding does not end in chunked."];
  }
  return null;
}

/** An `application/problem+json` body with a stable `code`, titled by the status. */
export function problemJson(status: number, code: string, detail: string): string {
  return JSON.stringify({ type: "about:blank", title: REASONS[status] ?? "Error", status, code, detail });
}

/** A listening HTTP/1.1 server with node:http's lifecycle calls (close, close idle, close all). */
export class Http1Server {
  readonly options: ServerOptions;
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  /** While draining, every response closes its connection. */
  draining = false;
  onError: (error: unknown) => void = () => {};

  constructor(
    readonly listener: RequestListener,
    options: Partial<ServerOptions> = {},
  ) {
    this.options = { ...DEFAULT_SERVER_OPTIONS, ...options };
    // Half-open allowed: a client that shuts its side after a request still gets the answer.
    this.server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.connections.add(new Connection(socket, this)));
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
  }

  address(): net.AddressInfo {
    return this.server.address() as net.AddressInfo;
  }

  /** Stops accepting connections; resolves once every connection has closed. */
  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }

  closeIdleConnections(): void {
    for (const conn of this.connections) if (conn.idle) conn.destroy();
  }

  closeAllConnections(): void {
    for (const conn of this.connections) conn.destroy();
  }

  /** @internal */
  forget(conn: Connection): void {
    this.connections.delete(conn);
  }
}
