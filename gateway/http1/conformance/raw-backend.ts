import net from "node:net";

/**
 * A backend that speaks raw bytes: it records exactly what arrives on each connection, splits
 * it into requests with a deliberately simple reader (the gateway always sends CRLF heads and
 * either Content-Length or chunked bodies), and answers each request with the bytes a script
 * gives, however wrong they are. Scripts are chosen by the request path's first segment.
 */

export interface BackendRequest {
  connection: BackendConnection;
  /** The request line and header lines, as received, without the blank line. */
  head: string;
  method: string;
  path: string;
  /** Lower-case names, in order, repeated names kept. */
  headers: [string, string][];
  /** The body as received on the wire (chunk framing included). */
  rawBody: string;
}

export interface BackendConnection {
  id: number;
  socket: net.Socket;
  /** Every byte received, in order. */
  received: string;
  requests: BackendRequest[];
  closed: boolean;
}

/** Answers a complete request (or, with `onHead`, a request whose head has arrived). */
export interface Script {
  /** Called when the head has arrived; return true to skip waiting for the body. */
  onHead?(req: BackendRequest): boolean | void;
  answer?(req: BackendRequest): void;
}

export class RawBackend {
  private readonly server: net.Server;
  private readonly scripts = new Map<string, Script>();
  readonly connections: BackendConnection[] = [];
  port = 0;

  constructor() {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The script for paths whose first segment is `name` (`/name/...`). */
  script(name: string, script: Script | ((req: BackendRequest) => void)): void {
    this.scripts.set(name, typeof script === "function" ? { answer: script } : script);
  }

  /** Every request received for paths under `/name`. */
  requests(name: string): BackendRequest[] {
    return this.connections
      .flatMap((c) => c.requests)
      .filter((r) => r.path === `/${name}` || r.path.startsWith(`/${name}/`) || r.path.startsWith(`/${name}?`));
  }

  /** Everything received on connections that carried a request under `/name`. */
  bytesFor(name: string): string {
    return [...new Set(this.requests(name).map((r) => r.connection))].map((c) => c.received).join("");
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn: BackendConnection = { id: this.connections.length, socket, received: "", requests: [], closed: false };
    this.connections.push(conn);
    socket.setNoDelay(true);
    socket.on("error", () => {});
    socket.on("close", () => (conn.closed = true));
    let pending = "";
    let current: { req: BackendRequest; script: Script | undefined; length: number | null; chunked: boolean; skip: boolean } | null = null;
    socket.on("data", (data: Buffer) => {
      const text = data.toString("latin1");
      conn.received += text;
      pending += text;
      for (;;) {
        if (!current) {
          const end = pending.indexOf("\r\n\r\n");
          if (end < 0) return;
          const head = pending.slice(0, end);
          pending = pending.slice(end + 4);
          const [line, ...fields] = head.split("\r\n");
          const [method, path] = line.split(" ");
          const headers = fields.map((f): [string, string] => {
            const colon = f.indexOf(":");
            return [f.slice(0, colon).toLowerCase(), f.slice(colon + 1).trim()];
          });
          const req: BackendRequest = { connection: conn, head, method, path, headers, rawBody: "" };
          conn.requests.push(req);
          const script = this.scripts.get(path.split(/[/?]/)[1] ?? "");
          const length = headers.find(([n]) => n === "content-length");
          const chunked = headers.some(([n, v]) => n === "transfer-encoding" && /chunked/i.test(v));
          current = { req, script, length: length ? Number(length[1]) : null, chunked, skip: false };
          if (script?.onHead?.(req)) current.skip = true;
        }
        const c = current;
        let complete = false;
        if (c.chunked) {
          const end = pending.indexOf("0\r\n\r\n");
          // The gateway writes the last chunk as "0\r\n\r\n" after a chunk's CRLF (or at once).
          if (end >= 0 && (end === 0 || pending.slice(end - 2, end) === "\r\n")) {
            c.req.rawBody = pending.slice(0, end + 5);
            pending = pending.slice(end + 5);
            complete = true;
          } else if (c.skip) {
            c.req.rawBody += pending;
            pending = "";
          }
        } else {
          const need = c.length ?? 0;
          if (pending.length >= need) {
            c.req.rawBody = pending.slice(0, need);
            pending = pending.slice(need);
            complete = true;
          }
        }
        if (!complete) return;
        current = null;
        if (!c.skip) (c.script?.answer ?? defaultAnswer)(c.req);
      }
    });
  }
}

/** 200 with the request's path as the body. */
export function defaultAnswer(req: BackendRequest): void {
  respond(req, 200, req.path);
}

export function respond(req: BackendRequest, status: number, body: string, headers: string[] = []): void {
  const lines = [`HTTP/1.1 ${status} X`, `content-length: ${Buffer.byteLength(body)}`, ...headers];
  req.connection.socket.write(`${lines.join("\r\n")}\r\n\r\n${req.method === "HEAD" ? "" : body}`, "latin1");
}

/** A header's values as the backend received them. */
export function headerValues(req: BackendRequest, name: string): string[] {
  return req.headers.filter(([n]) => n === name).map(([, v]) => v);
}
