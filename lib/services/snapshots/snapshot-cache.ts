import { gzipSync } from "node:zlib";
import { diffSnapshots } from "@/lib/domain/gateway/snapshot-delta";
import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { buildSnapshot } from "./build-snapshot";

/**
 * Snapshots built once per version and served to every gateway that asks, per process: a
 * deployment that wakes a thousand gateways builds the environment's snapshot once, serializes
 * it once and compresses it once. The last few versions of each environment are kept, so that
 * a gateway holding one of them gets only what changed since (a delta, computed once per pair
 * of versions). Bounded: versions per environment, and bytes in all.
 */

export interface Payload {
  json: string;
  /** Gzip of `json`, made on first use. */
  gzip(): Buffer;
}

interface Built {
  version: number;
  snapshot: Snapshot;
  full: Payload;
  /** Deltas from older versions to this one, by the older version. */
  deltas: Map<string, Payload | null>;
  bytes: number;
}

/** Versions kept per environment (the history deltas are made from). */
const HISTORY = 8;
/** Bytes of serialized snapshots kept in all. */
const MAX_BYTES = 64 * 1024 * 1024;

function payload(json: string): Payload {
  let gzipped: Buffer | null = null;
  return { json, gzip: () => (gzipped ??= gzipSync(json)) };
}

class SnapshotCache {
  /** Environment id → its versions, oldest first; the map's order is least recently used first. */
  private readonly byEnvironment = new Map<string, Built[]>();
  private readonly building = new Map<string, Promise<Built>>();
  private bytes = 0;
  /** Snapshots built (for tests and the fleet benchmark). */
  builds = 0;

  /** The snapshot of `version` or newer, built at most once per version. */
  async current(environmentId: string, version: string): Promise<Built> {
    const wanted = Number(version);
    for (;;) {
      const latest = this.latest(environmentId);
      if (latest && latest.version >= wanted) return latest;
      const pending = this.building.get(environmentId);
      if (pending) {
        const built = await pending;
        if (built.version >= wanted) return built;
        continue;
      }
      const build = this.build(environmentId).finally(() => this.building.delete(environmentId));
      this.building.set(environmentId, build);
      return build;
    }
  }

  /** What changed from `base` to `built`, when `base` is still held; null otherwise. */
  delta(environmentId: string, base: string, built: Built): Payload | null {
    const cached = built.deltas.get(base);
    if (cached !== undefined) return cached;
    const from = this.byEnvironment.get(environmentId)?.find((b) => String(b.version) === base) ?? null;
    const result = from && from !== built ? payload(JSON.stringify(diffSnapshots(from.snapshot, built.snapshot))) : null;
    built.deltas.set(base, result);
    return result;
  }

  private latest(environmentId: string): Built | undefined {
    const list = this.byEnvironment.get(environmentId);
    if (!list) return undefined;
    // Most recently used last.
    this.byEnvironment.delete(environmentId);
    this.byEnvironment.set(environmentId, list);
    return list[list.length - 1];
  }

  private async build(environmentId: string): Promise<Built> {
    const snapshot = await buildSnapshot(environmentId);
    this.builds++;
    const json = JSON.stringify(snapshot);
    const built: Built = { version: Number(snapshot.version), snapshot, full: payload(json), deltas: new Map(), bytes: json.length };
    const list = this.byEnvironment.get(environmentId) ?? [];
    const last = list[list.length - 1];
    if (last && last.version >= built.version) return last;
    list.push(built);
    this.bytes += built.bytes;
    while (list.length > HISTORY) this.bytes -= list.shift()!.bytes;
    this.byEnvironment.delete(environmentId);
    this.byEnvironment.set(environmentId, list);
    this.trim();
    return built;
  }

  /** Drops the least recently used environments' history past the byte bound (never the newest version just built). */
  private trim(): void {
    for (const [id, list] of this.byEnvironment) {
      if (this.bytes <= MAX_BYTES) return;
      while (list.length > 1 && this.bytes > MAX_BYTES) this.bytes -= list.shift()!.bytes;
      if (this.bytes > MAX_BYTES && this.byEnvironment.size > 1 && id !== [...this.byEnvironment.keys()].pop()) {
        this.bytes -= list.reduce((n, b) => n + b.bytes, 0);
        this.byEnvironment.delete(id);
      }
    }
  }

  /** Forgets everything (tests). */
  clear(): void {
    this.byEnvironment.clear();
    this.bytes = 0;
  }
}

const key = Symbol.for("meridian.snapshot-cache");
const g = globalThis as typeof globalThis & { [key]?: SnapshotCache };
export const snapshotCache: SnapshotCache = (g[key] ??= new SnapshotCache());
