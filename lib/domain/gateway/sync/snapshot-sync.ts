import fs from "node:fs/promises";
import path from "node:path";
import { snapshotSchema, type Snapshot } from "@/lib/domain/gateway/snapshot";
import { applySnapshotDelta, isSnapshotDelta, snapshotDeltaSchema } from "@/lib/domain/gateway/snapshot-delta";
import type { SyncLog as GatewayLog, SyncMetrics as GatewayMetrics } from "./ports";
import { Backoff, sleep } from "./backoff";
import type { ControlPlaneClient } from "./control-plane-client";

/**
 * Keeps the gateway on the latest good snapshot: loads the disk cache at start, then long-polls
 * the control plane. A snapshot that does not parse, or is for another environment, or cannot
 * be applied, is refused and the current one stays; a good one is applied, then cached on disk
 * (temp file + rename, so a crash never leaves half a file behind).
 */

export interface SnapshotSyncOptions {
  client: ControlPlaneClient;
  environment: string;
  cacheFile: string;
  longPollSeconds: number;
  /** Applies a validated snapshot; throwing refuses it. */
  apply: (snapshot: Snapshot) => Promise<void>;
  log: GatewayLog;
  metrics: GatewayMetrics;
}

export class SnapshotSync {
  private applied: string | null = null;
  /** The applied snapshot, which a delta from the control plane is applied to. */
  private current: Snapshot | null = null;
  /** Ask for deltas (off after one could not be applied, until a whole snapshot has been taken). */
  private deltas = true;
  /** The version of a refused snapshot: asking with it waits for the next change instead of re-fetching the same bad one. */
  private refused: string | null = null;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly backoff = new Backoff(500, 30_000);

  constructor(private readonly options: SnapshotSyncOptions) {}

  get appliedVersion(): string | null {
    return this.applied;
  }

  /** When the applied version was applied (null before any). */
  appliedAt: string | null = null;

  /** Applies the cached snapshot, if any and valid. */
  async loadCache(): Promise<boolean> {
    let text: string;
    try {
      text = await fs.readFile(this.options.cacheFile, "utf8");
    } catch {
      return false;
    }
    const ok = await this.accept(text, "cache");
    if (ok) this.options.log.info({ version: this.applied }, "Serving the cached snapshot until the control plane answers");
    return ok;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { client, longPollSeconds, log } = this.options;
    while (!this.abort.signal.aborted) {
      try {
        const res = await client.getSnapshot(
          this.refused ?? this.applied,
          longPollSeconds,
          this.abort.signal,
          this.deltas && this.refused === null,
        );
        if (res.status === 304) {
          this.backoff.reset();
          continue;
        }
        if (res.status === 200 && "etag" in res) {
          if (await this.accept(res.body, "control plane")) {
            this.backoff.reset();
            continue;
          }
          this.refused = res.etag;
        } else {
          log.warn({ status: res.status, body: "body" in res ? res.body : undefined }, "The control plane refused the snapshot request");
        }
      } catch (error) {
        if (this.abort.signal.aborted) return;
        log.warn({ err: error }, "The control plane is unreachable; serving the last good snapshot");
      }
      await sleep(this.backoff.next(), this.abort.signal);
    }
  }

  private async accept(text: string, source: string): Promise<boolean> {
    const { log, metrics } = this.options;
    let parsed;
    try {
      let value: unknown = JSON.parse(text);
      if (isSnapshotDelta(value)) {
        // What changed since the applied version: the whole snapshot it leads to is checked like any other.
        const delta = snapshotDeltaSchema.safeParse(value);
        if (!delta.success || !this.current || delta.data.base !== this.current.version) {
          log.warn(
            { source, base: delta.success ? delta.data.base : null, applied: this.applied },
            "A snapshot delta did not fit the applied version; asking for the whole snapshot",
          );
          this.deltas = false;
          return true;
        }
        value = applySnapshotDelta(this.current, delta.data);
        text = JSON.stringify(value);
      }
      parsed = snapshotSchema.safeParse(value);
    } catch (error) {
      parsed = { success: false as const, error: null, reason: (error as Error).message };
    }
    if (!parsed.success) {
      metrics.snapshotsRejected.inc();
      log.error(
        { source, issues: parsed.error?.issues.slice(0, 5), reason: "reason" in parsed ? parsed.reason : undefined },
        "Refused a malformed snapshot; keeping the current one",
      );
      return false;
    }
    const snapshot = parsed.data;
    if (snapshot.environment.name !== this.options.environment) {
      metrics.snapshotsRejected.inc();
      log.error({ source, environment: snapshot.environment.name }, "Refused a snapshot of another environment");
      return false;
    }
    if (snapshot.version === this.applied) return true;
    this.deltas = true;
    try {
      await this.options.apply(snapshot);
    } catch (error) {
      metrics.snapshotsRejected.inc();
      log.error({ source, err: error }, "Refused a snapshot that could not be applied");
      return false;
    }
    this.applied = snapshot.version;
    this.appliedAt = new Date().toISOString();
    this.current = snapshot;
    this.refused = null;
    metrics.snapshotApplied(snapshot.version);
    log.info({ version: snapshot.version, apis: snapshot.apis.length, source }, "Snapshot applied");
    if (source !== "cache") await this.writeCache(text);
    return true;
  }

  private async writeCache(text: string): Promise<void> {
    const file = this.options.cacheFile;
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(temp, text);
      await fs.rename(temp, file);
    } catch (error) {
      this.options.log.warn({ err: error }, "Could not cache the snapshot on disk");
      await fs.rm(temp, { force: true });
    }
  }
}
