import fs from "node:fs/promises";
import path from "node:path";
import { isPastPeriod, monthWindow, takeQuota } from "@/lib/domain/gateway/quota";
import type { GatewayLog } from "../log";

/**
 * Monthly quota counts kept by the gateway itself (without Redis). Keys carry their month
 * (`quota:<app>:<api>:YYYY-MM`), so a new month starts from 0 and past months are dropped.
 */
export interface QuotaCounter {
  /** Requests counted under `key` so far. */
  used(key: string): number;
  /** Counts one request unless `quota` is reached; synchronous, so a check and its count are one step. */
  take(key: string, quota: number): { allowed: boolean; used: number };
  close(): Promise<void>;
}

export type QuotaCounts = Record<string, number>;

/**
 * Counts in memory, written to one JSON file every `flushMs` when they changed and on close
 * (temp file + rename), and read back at start: a restart does not hand out a fresh month.
 * A crash forgets at most the last `flushMs` of counting, which errs towards the client.
 */
export class LocalQuotaStore implements QuotaCounter {
  private readonly counts = new Map<string, number>();
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    /** Null keeps the counts in memory only. */
    private readonly file: string | null,
    private readonly log: GatewayLog,
    private readonly flushMs = 5_000,
  ) {}

  async load(): Promise<void> {
    if (this.file) {
      try {
        const saved = JSON.parse(await fs.readFile(this.file, "utf8")) as QuotaCounts;
        for (const [key, value] of Object.entries(saved)) if (Number.isInteger(value) && value > 0) this.counts.set(key, value);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT")
          this.log.warn({ err: error }, "Could not read the saved quota counts; counting from 0");
      }
      this.purge(Date.now());
      this.timer = setInterval(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  used(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  take(key: string, quota: number): { allowed: boolean; used: number } {
    const result = takeQuota(this.counts.get(key) ?? 0, quota);
    if (result.allowed) {
      this.counts.set(key, result.used);
      this.dirty = true;
    }
    return result;
  }

  /** Adds counts made elsewhere (the workers of a cluster) and returns every current total. */
  merge(deltas: QuotaCounts): QuotaCounts {
    for (const [key, n] of Object.entries(deltas)) {
      if (n > 0) this.counts.set(key, (this.counts.get(key) ?? 0) + n);
      this.dirty = true;
    }
    return Object.fromEntries(this.counts);
  }

  private purge(now: number): void {
    const window = monthWindow(now);
    for (const key of this.counts.keys()) {
      if (isPastPeriod(key, window)) {
        this.counts.delete(key);
        this.dirty = true;
      }
    }
  }

  flush(): Promise<void> {
    if (!this.file || !this.dirty) return this.writing;
    this.dirty = false;
    this.purge(Date.now());
    const text = JSON.stringify(Object.fromEntries(this.counts));
    const file = this.file;
    this.writing = this.writing.then(async () => {
      const temp = `${file}.${process.pid}.tmp`;
      try {
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(temp, text);
        await fs.rename(temp, file);
      } catch (error) {
        this.dirty = true;
        this.log.warn({ err: error }, "Could not save the quota counts");
      }
    });
    return this.writing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}

/**
 * A cluster worker's view of counts the primary keeps: the totals it last heard of plus what it
 * counted since. Every `syncMs` it sends its new counts and gets every total back, so the
 * workers together may exceed a quota only by what the others counted within one sync, while
 * each request still decides without waiting. Exact quotas across processes need Redis.
 */
export class SyncedQuotaCounter implements QuotaCounter {
  private totals = new Map<string, number>();
  private pending = new Map<string, number>();
  private inFlight: Map<string, number> | null = null;
  private syncing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly exchange: (deltas: QuotaCounts) => Promise<QuotaCounts>,
    syncMs = 500,
  ) {
    this.timer = setInterval(() => void this.sync(), syncMs);
    this.timer.unref();
  }

  used(key: string): number {
    return (this.totals.get(key) ?? 0) + (this.pending.get(key) ?? 0) + (this.inFlight?.get(key) ?? 0);
  }

  take(key: string, quota: number): { allowed: boolean; used: number } {
    const result = takeQuota(this.used(key), quota);
    if (result.allowed) this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    return result;
  }

  /** Sends what was counted since the last sync; the answer's totals include it. One at a time. */
  sync(): Promise<void> {
    if (!this.inFlight) this.syncing = this.exchangeOnce();
    return this.syncing;
  }

  private async exchangeOnce(): Promise<void> {
    const sent = (this.inFlight = this.pending);
    this.pending = new Map();
    try {
      this.totals = new Map(Object.entries(await this.exchange(Object.fromEntries(sent))));
    } catch {
      // Not delivered: counted again with the next sync.
      for (const [key, n] of sent) this.pending.set(key, (this.pending.get(key) ?? 0) + n);
    } finally {
      this.inFlight = null;
    }
  }

  /** Hands the last counts to the primary (after a sync already under way). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
    await this.sync();
  }
}
