import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { parseAnyAnalyticsBatch, type MinuteAggregate } from "@/lib/domain/analytics/aggregate-batch";
import type { AnalyticsBatch, Heartbeat, Snapshot } from "@/lib/domain/gateway/snapshot";
import { diffSnapshots } from "@/lib/domain/gateway/snapshot-delta";

/**
 * A stand-in for the control plane's sync API: snapshots with ETag and long poll, heartbeats,
 * and an events endpoint that stores each batch id once, as the real one must.
 */
export class FakeControlPlane {
  readonly token = "gw-test-token";
  private server: http.Server | null = null;
  private body = "";
  private version = "";
  private waiters = new Set<() => void>();
  port = 0;
  /** Batch id → events, stored once. */
  readonly batches = new Map<string, AnalyticsBatch["events"]>();
  /** Batch id → per-minute aggregates (batches of the aggregate form), stored once. */
  readonly aggregateBatches = new Map<string, MinuteAggregate[]>();
  /** Every delivery, duplicates included. */
  readonly deliveries: string[] = [];
  readonly heartbeats: Heartbeat[] = [];
  snapshotRequests = 0;
  /** Answer events with 503 (a control plane that is up but failing). */
  failEvents = false;
  /** Store this many batches but fail the answer, as when a response is lost on the way back. */
  loseAnswers = 0;
  /**
   * Accept event batches without reading them (benchmarks: the real control plane runs
   * elsewhere, and keeping millions of events here made this process's collections take CPU
   * from the servers being measured).
   */
  discardEvents = false;
  /**
   * Hands each delivered batch to a real ingest (the control plane's service on a test
   * database) before answering; a throw answers 500, as the real route would.
   */
  ingest: ((body: unknown) => Promise<unknown>) | null = null;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Snapshots published, by version: a gateway asking for a delta from one of them gets one. */
  private readonly published = new Map<string, Snapshot>();
  /** Deltas served. */
  deltasServed = 0;

  publish(snapshot: Snapshot): void {
    this.published.set(snapshot.version, snapshot);
    this.publishRaw(snapshot.version, JSON.stringify(snapshot));
  }

  /** Serves any text as the snapshot, valid or not. */
  publishRaw(version: string, body: string): void {
    this.version = version;
    this.body = body;
    for (const wake of this.waiters) wake();
  }

  async start(port = this.port): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const wake of this.waiters) wake();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get events(): AnalyticsBatch["events"] {
    return [...this.batches.values()].flat();
  }

  get aggregates(): MinuteAggregate[] {
    return [...this.aggregateBatches.values()].flat();
  }

  /** Requests counted: from the aggregates of aggregate batches, one per event of the others. */
  get requestsCounted(): number {
    let n = 0;
    for (const [id, events] of this.batches) n += this.aggregateBatches.has(id) ? 0 : events.length;
    return n + this.aggregates.reduce((sum, a) => sum + a.requests, 0);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      res.writeHead(401).end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "GET" && url.pathname === "/api/gateway/v1/snapshot")
      return this.snapshot(req, res, Number(url.searchParams.get("wait") ?? 0), url.searchParams.get("delta") === "1");
    const chunks: Buffer[] = [];
    if (this.discardEvents && req.method === "POST" && url.pathname === "/api/gateway/v1/events") {
      req.resume();
      await once(req, "end");
      return void res.writeHead(202, { "content-type": "application/json" }).end("{}");
    }
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (req.method === "POST" && url.pathname === "/api/gateway/v1/heartbeat") {
      this.heartbeats.push(body);
      res.writeHead(204).end();
    } else if (req.method === "POST" && url.pathname === "/api/gateway/v1/events") {
      if (this.failEvents) return void res.writeHead(503).end();
      let batch: ReturnType<typeof parseAnyAnalyticsBatch>;
      try {
        batch = parseAnyAnalyticsBatch(body);
      } catch (error) {
        return void res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: (error as Error).message }));
      }
      if (this.ingest) {
        try {
          await this.ingest(body);
        } catch (error) {
          return void res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: (error as Error).message }));
        }
      }
      this.deliveries.push(batch.batchId);
      if (!this.batches.has(batch.batchId)) {
        this.batches.set(batch.batchId, batch.events);
        if (body.format === 3) this.aggregateBatches.set(batch.batchId, batch.aggregates);
      }
      if (this.loseAnswers > 0) {
        this.loseAnswers--;
        return void res.socket?.destroy();
      }
      res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ accepted: batch.events.length }));
    } else {
      res.writeHead(404).end();
    }
  }

  private snapshot(req: http.IncomingMessage, res: http.ServerResponse, wait: number, delta: boolean): void {
    this.snapshotRequests++;
    const send = () => {
      if (res.writableEnded) return;
      if (!this.body || req.headers["if-none-match"] === `"${this.version}"`) return void res.writeHead(304).end();
      const base = delta ? this.published.get(String(req.headers["if-none-match"]).replaceAll('"', "")) : undefined;
      const current = this.published.get(this.version);
      // Compressed as the control plane sends it to a gateway that accepts it.
      const gzip = /application\/gzip/.test(req.headers.accept ?? "");
      const answer = (json: string) =>
        res
          .writeHead(200, { etag: `"${this.version}"`, "content-type": gzip ? "application/gzip" : "application/json" })
          .end(gzip ? gzipSync(json) : json);
      if (base && current && JSON.stringify(current) === this.body) {
        this.deltasServed++;
        return void answer(JSON.stringify(diffSnapshots(base, current)));
      }
      answer(this.body);
    };
    if (!this.body || req.headers["if-none-match"] === `"${this.version}"`) {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        send();
      };
      const timer = setTimeout(wake, Math.min(wait, 30) * 1000);
      this.waiters.add(wake);
      res.on("close", () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      });
      return;
    }
    send();
  }
}
