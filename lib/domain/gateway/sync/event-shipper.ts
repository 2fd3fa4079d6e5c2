import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { COMPACT_MAX_OFFSET_MS, MAX_COMPACT_EVENTS_PER_BATCH, type AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import type { SyncLog as GatewayLog, SyncMetrics as GatewayMetrics } from "./ports";
import { MAX_AGGREGATES_PER_BATCH, MinuteAggregator, keepsRawEvent, minuteOf } from "@/lib/domain/analytics/aggregate-batch";
import { eventFieldsJson, eventGroupJson } from "./event-json";
import { Backoff } from "./backoff";

/**
 * Analytics delivery, at least once from here and exactly once with the control plane's
 * batch-id check. Events gather in memory for up to `flushMs` or `batchSize`; each batch is
 * sent oldest first, from memory while the control plane keeps up, else from a spool directory
 * (temp file + rename) that it is written to when a delivery fails, when more than 8 MiB wait,
 * and on shutdown; a spooled file is deleted only after a 2xx. So an unreachable control plane,
 * a lost answer or a restart only delays batches, and a resent batch carries the same id. Only
 * a crash (not a SIGTERM, which flushes and spools) can lose events: those of its last second
 * and the batches in flight.
 */

export interface ShipperOptions {
  dir: string;
  send: (batch: Buffer) => Promise<number>;
  batchSize: number;
  flushMs: number;
  /** Past this many batches on disk the oldest are dropped (and counted), so a long outage cannot fill the disk. */
  maxPendingBatches: number;
  log: GatewayLog;
  metrics: GatewayMetrics;
  /** Batching and sampling (`EventBatcher`); aggregates with a 1% sample when absent. */
  events?: BatcherOptions;
}

/**
 * How the batcher shapes what it sends. With `aggregate` (the default) every request is summed
 * into per-minute aggregates (the batch's `format: 3`) and raw events are a sample: every error
 * plus `successSample` (0..1, default 0.01) of the successes. Without it every request is sent
 * as a raw event (`format: 2`), as gateways did before edge aggregation.
 */
export interface BatcherOptions {
  aggregate?: boolean;
  successSample?: number;
  /** For tests: the random source of the sample. */
  random?: () => number;
}

/** Statuses that may succeed later; any other 4xx means the batch itself is refused. */
const RETRYABLE = new Set([401, 403, 408, 425, 429]);

/** Where the request handler puts one event per request that matched an API. */
export interface EventSink {
  /**
   * One call: its group (`eventGroupJson`, the same string object for all calls of one
   * operation and caller, so the batch finds it again cheaply), its arrival time (epoch ms) and
   * its own members (`eventFieldsJson`).
   */
  recordCall(group: string, timeMs: number, fields: string): void;
  /**
   * The same call with its members as values: aggregated without any parsing, and written as
   * a raw event only when it is sampled.
   */
  recordRequest(
    group: string,
    timeMs: number,
    path: string,
    status: number,
    latencyMs: number,
    upstreamLatencyMs: number | null,
    requestBytes: number,
    responseBytes: number,
    errorCode: string | undefined,
  ): void;
}

/** Room for a few thousand typical events; a batch that outgrows it continues in another. */
const CHUNK_BYTES = 256 * 1024;
/** A batch is handed over once it holds this many bytes, whatever its count: the control plane takes at most 4 MB. */
const MAX_BATCH_BYTES = 1024 * 1024;

/**
 * Events serialized as they are recorded, in the compact batch form, into memory outside the
 * JavaScript heap: a second of buffered event objects outlived the young generation's
 * collections, which then copied them at every pass, and showed as latency spikes of several
 * ms under load.
 */
class SerializedEvents {
  private readonly full: Buffer[] = [];
  private chunk: Buffer | null = null;
  private used = 0;
  private readonly groups = new Map<string, number>();
  /** Arrival time of the batch's first event; the others are written as offsets from it. */
  private start = 0;
  count = 0;
  /** Bytes of the events so far. */
  bytes = 0;

  /** An event arriving at `timeMs` can be written as an offset from this batch's start. */
  fits(timeMs: number): boolean {
    const start = this.fixedStart ?? (this.count === 0 ? null : this.start);
    return start === null || Math.abs(Math.round(timeMs) - start) <= COMPACT_MAX_OFFSET_MS - 60_000;
  }

  /** Set while the batch's start is fixed from outside (a minute boundary, for the aggregate form). */
  fixedStart: number | null = null;

  groupIndex(group: string): number {
    let index = this.groups.get(group);
    if (index === undefined) this.groups.set(group, (index = this.groups.size));
    return index;
  }

  append(group: string, timeMs: number, fields: string): void {
    const index = this.groupIndex(group);
    timeMs = Math.round(timeMs);
    if (this.count === 0) this.start = this.fixedStart ?? timeMs;
    const json = `[${index},${timeMs - this.start},${fields}]`;
    // At most 3 bytes per UTF-16 unit, plus the comma.
    const room = json.length * 3 + 1;
    if (!this.chunk || this.used + room > this.chunk.length) {
      if (this.chunk) this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room));
      this.used = 0;
    }
    const from = this.used;
    if (this.count > 0) this.chunk[this.used++] = 0x2c;
    this.used += this.chunk.write(json, this.used);
    this.bytes += this.used - from;
    this.count++;
  }

  /** The events as one compact batch `{"batchId":…,"format":2,"start":…,"groups":[…],"events":[…]}`; empties the buffer. */
  take(batchId: string, aggregates?: MinuteAggregator): Buffer {
    let tail = "]}";
    let format = 2;
    if (aggregates) {
      format = 3;
      this.start = this.fixedStart!;
      tail = `],"aggregates":${JSON.stringify(aggregates.take(this.start, (g) => this.groupIndex(g)))}}`;
    }
    const head = `{"batchId":${JSON.stringify(batchId)},"format":${format},"start":"${new Date(this.start).toISOString()}","groups":[${[...this.groups.keys()].join(",")}],"events":[`;
    const parts = [Buffer.from(head), ...this.full];
    if (this.chunk) parts.push(this.chunk.subarray(0, this.used));
    parts.push(Buffer.from(tail));
    this.fixedStart = null;
    this.full.length = 0;
    this.chunk = null;
    this.used = 0;
    this.count = 0;
    this.bytes = 0;
    this.groups.clear();
    return Buffer.concat(parts);
  }
}

/** Bytes an aggregate row takes in a batch, about (for the batch size limit). */
const AGGREGATE_ROW_BYTES = 160;

/**
 * Gathers events for up to `flushMs`, `batchSize` events or 1 MiB, then hands them over as one batch,
 * serialized, under a new batch id (the control plane stores a batch id once, so whoever sends
 * the batch later, and however often, it counts once). With aggregation (the default) every
 * request is summed into the batch's per-minute aggregates and only sampled requests become raw
 * events; a request is in exactly one batch either way, so a batch's id still makes it count once.
 */
export class EventBatcher implements EventSink {
  private readonly buffer = new SerializedEvents();
  private readonly aggregates: MinuteAggregator | null;
  private readonly successSample: number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | null = null;
  private handedOver: Promise<void> = Promise.resolve();
  private readonly batchSize: number;

  constructor(
    batchSize: number,
    private readonly flushMs: number,
    private readonly handOver: (batchId: string, batch: Uint8Array) => Promise<void>,
    options: BatcherOptions = {},
  ) {
    this.batchSize = Math.min(batchSize, MAX_COMPACT_EVENTS_PER_BATCH);
    this.aggregates = options.aggregate === false ? null : new MinuteAggregator();
    this.successSample = options.successSample ?? 0.01;
    this.random = options.random ?? Math.random;
  }

  record(event: AnalyticsEvent): void {
    this.recordRequest(
      eventGroupJson(event),
      Date.parse(event.time),
      event.path,
      event.status,
      event.latencyMs,
      event.upstreamLatencyMs,
      event.requestBytes,
      event.responseBytes,
      event.errorCode,
    );
  }

  recordCall(group: string, timeMs: number, fields: string): void {
    if (this.aggregates) {
      const [path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode] = JSON.parse(`[${fields}]`) as [
        string,
        number,
        number,
        number | null,
        number,
        number,
        string | undefined,
      ];
      this.recordRequest(group, timeMs, path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode);
      return;
    }
    // A request that arrived more than a day before the batch's first (a long stream) starts a batch of its own.
    if (!this.buffer.fits(timeMs)) void this.flush();
    this.buffer.append(group, timeMs, fields);
    this.afterRecord();
  }

  recordRequest(
    group: string,
    timeMs: number,
    path: string,
    status: number,
    latencyMs: number,
    upstreamLatencyMs: number | null,
    requestBytes: number,
    responseBytes: number,
    errorCode: string | undefined,
  ): void {
    const aggregates = this.aggregates;
    if (!aggregates) {
      this.recordCall(group, timeMs, eventFieldsJson(path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode));
      return;
    }
    timeMs = Math.round(timeMs);
    if (!this.buffer.fits(timeMs)) void this.flush();
    if (this.buffer.fixedStart === null) this.buffer.fixedStart = minuteOf(timeMs);
    aggregates.add(group, timeMs, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes);
    if (keepsRawEvent(status, this.successSample, this.random))
      this.buffer.append(
        group,
        timeMs,
        eventFieldsJson(path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode),
      );
    this.afterRecord();
  }

  private afterRecord(): void {
    const rows = this.aggregates?.size ?? 0;
    if (
      this.buffer.count >= this.batchSize ||
      rows >= MAX_AGGREGATES_PER_BATCH ||
      this.buffer.bytes + rows * AGGREGATE_ROW_BYTES >= MAX_BATCH_BYTES
    )
      void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Hands over what is buffered; resolves once the last batch handed over is taken. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.count === 0 && !this.aggregates?.size) return this.handedOver;
    const batchId = randomUUID();
    return (this.handedOver = this.handOver(batchId, this.buffer.take(batchId, this.aggregates ?? undefined)));
  }
}

/** A batch waiting for delivery: on disk, or (while deliveries succeed) still in memory. */
interface Pending {
  name: string;
  batchId: string;
  /** The batch while it is only in memory; null once it is on disk. */
  batch: Uint8Array | null;
}

/** Bytes of batches kept in memory at most while the control plane keeps up; more go to disk. */
const MEMORY_BYTES = 8 * 1024 * 1024;

export class EventShipper implements EventSink {
  private readonly batcher: EventBatcher;
  private writes: Promise<void> = Promise.resolve();
  private writing = 0;
  private spilling: Promise<void> | null = null;
  /** Oldest first; either all in memory or all on disk (memory is used only while nothing waits on disk). */
  private pending: Pending[] = [];
  private sequence = 0;
  private sending: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly backoff = new Backoff(500, 30_000);

  constructor(private readonly options: ShipperOptions) {
    this.batcher = new EventBatcher(options.batchSize, options.flushMs, (batchId, batch) => this.spool(batchId, batch), options.events);
  }

  /** Picks up batches left by an earlier run and starts sending them. */
  async start(): Promise<void> {
    await fs.mkdir(path.join(this.options.dir, "rejected"), { recursive: true });
    const files = await fs.readdir(this.options.dir);
    this.pending = files
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((name) => ({ name, batchId: name, batch: null }));
    this.options.metrics.eventBatchesPending.set(this.pending.length);
    this.kick();
  }

  record(event: AnalyticsEvent): void {
    if (!this.stopped) this.batcher.record(event);
  }

  recordCall(group: string, timeMs: number, fields: string): void {
    if (!this.stopped) this.batcher.recordCall(group, timeMs, fields);
  }

  recordRequest(
    group: string,
    timeMs: number,
    path: string,
    status: number,
    latencyMs: number,
    upstreamLatencyMs: number | null,
    requestBytes: number,
    responseBytes: number,
    errorCode: string | undefined,
  ): void {
    if (!this.stopped)
      this.batcher.recordRequest(group, timeMs, path, status, latencyMs, upstreamLatencyMs, requestBytes, responseBytes, errorCode);
  }

  /** Hands the buffered events over as one batch. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /**
   * Takes a batch (this process's, or one a worker process of a cluster made) for delivery.
   * While deliveries succeed it is sent straight from memory: writing every batch to disk
   * first, then reading it back, cost the gateway more CPU per request than its own routing.
   * It goes to disk when the control plane fails or falls behind, and on shutdown; so only a
   * crash (not a SIGTERM) can lose events: those of the last second and the few batches in
   * flight. Resolves once the batch is queued (in memory or on disk).
   */
  spool(batchId: string, batch: Uint8Array): Promise<void> {
    // File names sort in creation order: time, then a counter for batches of the same ms.
    const name = `${String(Date.now()).padStart(15, "0")}-${String(this.sequence++ % 1e6).padStart(6, "0")}-${batchId}.json`;
    const healthy = !this.stopped && !this.retryTimer && this.writing === 0;
    const inMemory = healthy ? this.memoryBytes() : null;
    if (inMemory !== null && inMemory + batch.byteLength <= MEMORY_BYTES) {
      this.pending.push({ name, batchId, batch });
      this.options.metrics.eventBatchesPending.set(this.pending.length);
      this.kick();
      return Promise.resolve();
    }
    this.writing++;
    this.writes = this.writes.then(() => this.write({ name, batchId, batch: null }, batch)).finally(() => this.writing--);
    return this.writes;
  }

  /** Bytes of the pending batches while all are in memory; null once any is on disk. */
  private memoryBytes(): number | null {
    let total = 0;
    for (const p of this.pending) {
      if (p.batch === null) return null;
      total += p.batch.byteLength;
    }
    return total;
  }

  private async toDisk(name: string, batchId: string, batch: Uint8Array): Promise<boolean> {
    const file = path.join(this.options.dir, name);
    try {
      await fs.writeFile(`${file}.tmp`, batch);
      await fs.rename(`${file}.tmp`, file);
      return true;
    } catch (error) {
      this.options.log.error({ err: error, batchId }, "Could not spool an analytics batch");
      return false;
    }
  }

  private async write(entry: Pending, batch: Uint8Array): Promise<void> {
    // Batches still in memory are older: they go to disk first, to keep the order.
    await this.spill();
    if (!(await this.toDisk(entry.name, entry.batchId, batch))) return;
    this.pending.push(entry);
    await this.trim();
    this.kick();
  }

  /** Past the limit, the oldest batches on disk are dropped (and counted). */
  private async trim(): Promise<void> {
    while (this.pending.length > this.options.maxPendingBatches && this.pending[0].batch === null) {
      const oldest = this.pending.shift()!;
      await fs.rm(path.join(this.options.dir, oldest.name), { force: true });
      this.options.metrics.eventBatchesDropped.inc();
    }
    this.options.metrics.eventBatchesPending.set(this.pending.length);
  }

  /** Writes the batches held in memory to disk (a batch being sent meanwhile is sent from memory). */
  private async spill(): Promise<void> {
    // One spill at a time: two would write the same files.
    const running = this.spilling;
    if (running) return running;
    this.spilling = this.spillOnce().finally(() => (this.spilling = null));
    return this.spilling;
  }

  private async spillOnce(): Promise<void> {
    for (const entry of [...this.pending]) {
      const batch = entry.batch;
      if (!batch || !(await this.toDisk(entry.name, entry.batchId, batch))) continue;
      entry.batch = null;
      // Delivered while it was being written: the copy on disk must not be sent again.
      if (!this.pending.includes(entry)) await fs.rm(path.join(this.options.dir, entry.name), { force: true });
    }
    await this.trim();
  }

  private kick(): void {
    if (this.sending || this.retryTimer || this.stopped) return;
    this.sending = this.sendPending().finally(() => {
      this.sending = null;
    });
  }

  private async sendPending(): Promise<void> {
    while (this.pending.length > 0 && !this.stopped) {
      const entry = this.pending[0];
      const file = path.join(this.options.dir, entry.name);
      let status: number;
      try {
        status = await this.options.send(
          entry.batch ? Buffer.from(entry.batch.buffer, entry.batch.byteOffset, entry.batch.byteLength) : await fs.readFile(file),
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          this.pending.shift();
          continue;
        }
        status = 0;
      }
      if (status >= 200 && status < 300) {
        if (!entry.batch) await fs.rm(file, { force: true });
      } else if (status >= 400 && status < 500 && !RETRYABLE.has(status)) {
        this.options.log.error({ status, file: entry.name }, "The control plane refused an analytics batch; it is set aside");
        const rejected = path.join(this.options.dir, "rejected", entry.name);
        await (entry.batch ? fs.writeFile(rejected, entry.batch) : fs.rename(file, rejected)).catch(() => undefined);
      } else {
        await this.spill();
        const delay = this.backoff.next();
        this.options.log.warn({ status, retryInMs: delay, pending: this.pending.length }, "Analytics delivery failed; will retry");
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.kick();
        }, delay);
        this.retryTimer.unref();
        return;
      }
      this.backoff.reset();
      if (this.pending[0] === entry) this.pending.shift();
      this.options.metrics.eventBatchesPending.set(this.pending.length);
    }
  }

  /** Hands over what is buffered, waits for a send in progress, and leaves every undelivered batch on disk. */
  async stop(): Promise<void> {
    await this.flush();
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.sending;
    await this.writes;
    await this.spill();
  }
}
