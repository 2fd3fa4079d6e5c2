import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite instance to many Postgres clients on a loopback port.
 *
 * PGlite is a single session, so clients take turns. The unit of a turn is one complete
 * protocol exchange: the extended-query messages up to and including Sync (or a simple
 * Query, or Terminate). Interleaving at the level of single messages, as a naive multiplexer
 * does, lets one client's Bind hit another client's Parse. A Flush hands over what was sent so
 * far (the client waits for the answer) but keeps the turn until its Sync. While a transaction
 * is open, only the client that opened it gets turns, so transactions stay whole.
 * Clients should not use named prepared statements (they would share one namespace).
 */
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

interface Exchange {
  conn: Connection;
  messages: Buffer[];
}

class Connection {
  buffer: Buffer = Buffer.alloc(0);
  pending: Buffer[] = [];
  started = false;
  closed = false;
  constructor(
    readonly id: number,
    readonly socket: net.Socket,
  ) {}
}

export class EmbeddedSocketServer {
  private server?: net.Server;
  private queue: Exchange[] = [];
  private running = false;
  // The client whose turn it is: inside its transaction, or between its Flush and its Sync.
  private turnOwner: Connection | null = null;
  private connections = new Set<Connection>();
  private nextId = 1;

  constructor(private readonly db: PGlite) {}

  async start(port = 0, host = "127.0.0.1"): Promise<number> {
    this.server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const conn of this.connections) conn.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn = new Connection(this.nextId++, socket);
    this.connections.add(conn);
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.onData(conn, chunk));
    socket.on("error", () => this.onClose(conn));
    socket.on("close", () => this.onClose(conn));
  }

  private onData(conn: Connection, chunk: Buffer): void {
    conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
    for (;;) {
      const buf = conn.buffer;
      if (!conn.started) {
        // Startup phase: messages without a type byte.
        if (buf.length < 8) return;
        const length = buf.readInt32BE(0);
        if (buf.length < length) return;
        const code = buf.readInt32BE(4);
        conn.buffer = buf.subarray(length);
        if (code === SSL_REQUEST) {
          conn.socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST) continue;
        if (code !== PROTOCOL_3) {
          conn.socket.destroy();
          return;
        }
        conn.started = true;
        this.enqueue({ conn, messages: [buf.subarray(0, length)] });
        continue;
      }
      if (buf.length < 5) return;
      const length = 1 + buf.readInt32BE(1);
      if (buf.length < length) return;
      const message = buf.subarray(0, length);
      conn.buffer = buf.subarray(length);
      const type = String.fromCharCode(message[0]);
      if (type === "X") {
        conn.socket.end();
        this.onClose(conn);
        return;
      }
      conn.pending.push(message);
      if (type === "S" || type === "Q" || type === "H") {
        this.enqueue({ conn, messages: conn.pending });
        conn.pending = [];
      }
    }
  }

  private onClose(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.connections.delete(conn);
    this.queue = this.queue.filter((e) => e.conn !== conn);
    if (this.turnOwner === conn) {
      // A client that vanished mid-transaction must not leave the session stuck in it.
      void this.db
        .runExclusive(() => this.db.exec("ROLLBACK"))
        .catch(() => {})
        .finally(() => {
          this.turnOwner = null;
          void this.drain();
        });
    }
  }

  private enqueue(exchange: Exchange): void {
    this.queue.push(exchange);
    void this.drain();
  }

  private next(): Exchange | undefined {
    if (!this.turnOwner) return this.queue.shift();
    const i = this.queue.findIndex((e) => e.conn === this.turnOwner);
    return i === -1 ? undefined : this.queue.splice(i, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let exchange = this.next(); exchange; exchange = this.next()) {
        const { conn, messages } = exchange;
        if (conn.closed) continue;
        await this.db.runExclusive(async () => {
          for (const message of messages) {
            await this.db.execProtocolRawStream(new Uint8Array(message), {
              onRawData: (data) => {
                if (!conn.closed && conn.socket.writable) conn.socket.write(Buffer.from(data));
              },
            });
          }
        });
        const midExchange = messages[messages.length - 1][0] === 0x48; // 'H': Flush, Sync still to come
        this.turnOwner = this.db.isInTransaction() || midExchange ? conn : null;
      }
    } catch {
      // A protocol-level failure of PGlite itself: drop the queue's head client, keep serving.
    } finally {
      this.running = false;
      if (this.queue.length && (!this.turnOwner || this.queue.some((e) => e.conn === this.turnOwner))) void this.drain();
    }
  }
}
