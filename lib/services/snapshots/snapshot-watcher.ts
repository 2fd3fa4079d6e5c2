import { inArray } from "drizzle-orm";
import { config } from "@/lib/config";
import { getDb, getDbKind } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { logger } from "@/lib/log";

/**
 * One watcher per process for the snapshot versions that waiting gateways long-poll on. However
 * many gateways wait, the database sees the same work: on PostgreSQL one `LISTEN` connection
 * (every version bump sends a `NOTIFY` with the new versions, in the bumping transaction, so it
 * arrives on commit) plus a slow safety poll (`MERIDIAN_SNAPSHOT_SAFETY_POLL_MS`); on the embedded database one shared poll of the
 * versions of the environments that have waiters. Both stop when nobody waits.
 */

export const NOTIFY_CHANNEL = "meridian_snapshot_versions";
/** Shared poll on the embedded database, where nothing notifies. */
const EMBEDDED_POLL_MS = 200;

interface Waiter {
  known: string;
  resolve: (version: string) => void;
}

type Listener = { unlisten: () => Promise<void> };

export class SnapshotWatcher {
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** The highest version seen per environment (versions only grow). */
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private listener: Promise<Listener | null> | null = null;
  /** Queries this watcher made (for tests and the fleet benchmark). */
  queries = 0;

  /** The highest version of an environment this process has seen notified or polled, if any. */
  latest(environmentId: string): number | undefined {
    return this.seen.get(environmentId);
  }

  /**
   * Resolves with the environment's version as soon as it differs from `known`, or with
   * `known` when `waitMs` has passed or `signal` aborts. The caller has just read `known` as
   * the current version.
   */
  wait(environmentId: string, known: string, waitMs: number, signal?: AbortSignal): Promise<string> {
    // A bump whose notification arrived between the caller's read and now.
    const seen = this.seen.get(environmentId);
    if (seen !== undefined && seen > Number(known)) return Promise.resolve(String(seen));
    return new Promise<string>((resolve) => {
      let set = this.waiters.get(environmentId);
      if (!set) this.waiters.set(environmentId, (set = new Set()));
      const waiter: Waiter = {
        known,
        resolve: (version) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          const current = this.waiters.get(environmentId);
          current?.delete(waiter);
          if (current?.size === 0) this.waiters.delete(environmentId);
          if (this.waiters.size === 0) this.idle();
          resolve(version);
        },
      };
      const onAbort = () => waiter.resolve(known);
      const timer = setTimeout(onAbort, waitMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      set.add(waiter);
      this.ensureRunning();
    });
  }

  /** Wakes the waiters of environments whose version is now another. */
  private settle(versions: Iterable<[string, string]>): void {
    for (const [id, version] of versions) {
      if (!(Number(version) <= (this.seen.get(id) ?? -1))) this.seen.set(id, Number(version));
      const set = this.waiters.get(id);
      if (!set) continue;
      for (const waiter of [...set]) if (waiter.known !== version) waiter.resolve(version);
    }
  }

  private ensureRunning(): void {
    if (this.timer) return;
    void this.start();
  }

  private async start(): Promise<void> {
    if (this.timer) return;
    const kind = await getDbKind();
    if (this.timer || this.waiters.size === 0) return;
    const interval = kind === "postgres" ? config.snapshotSafetyPollMs : EMBEDDED_POLL_MS;
    if (kind === "postgres") this.listener ??= this.listen();
    this.timer = setInterval(() => void this.poll(), interval);
    this.timer.unref();
    // Once when waiting starts: a change made while nobody waited (and so nobody listened) is seen now.
    void this.poll();
  }

  private idle(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.waiters.size === 0) return;
    this.polling = true;
    try {
      const db = await getDb();
      this.queries++;
      const rows = await db
        .select({ id: environments.id, v: environments.snapshotVersion })
        .from(environments)
        .where(inArray(environments.id, [...this.waiters.keys()]));
      this.settle(rows.map((r) => [r.id, String(r.v)]));
    } catch (error) {
      logger.warn({ err: error }, "snapshot version poll failed");
    } finally {
      this.polling = false;
    }
  }

  /** One LISTEN connection for the process, kept while the process runs. */
  private async listen(): Promise<Listener | null> {
    try {
      const { default: postgres } = await import("postgres");
      const client = postgres(config.databaseUrl!, { max: 1, onnotice: () => {} });
      const listener = await client.listen(NOTIFY_CHANNEL, (payload) => {
        if (payload === "*") return void this.poll();
        this.settle(parseNotification(payload));
      });
      return { unlisten: async () => (await listener.unlisten(), await client.end({ timeout: 1 })) };
    } catch (error) {
      logger.warn({ err: error }, "snapshot versions: LISTEN failed; polling only");
      return null;
    }
  }

  /** Closes the listening connection (tests). */
  async close(): Promise<void> {
    this.idle();
    const listener = await this.listener;
    this.listener = null;
    await listener?.unlisten();
  }
}

/** `env_a=5,env_b=7` → pairs. */
export function parseNotification(payload: string): [string, string][] {
  return payload
    .split(",")
    .map((pair) => pair.split("="))
    .filter((p): p is [string, string] => p.length === 2 && p[0] !== "" && p[1] !== "");
}

/** The NOTIFY payload for new versions (`*`: look them up, past PostgreSQL's 8000-byte limit). */
export function notificationPayload(versions: { id: string; v: number }[]): string {
  const payload = versions.map((r) => `${r.id}=${r.v}`).join(",");
  return payload.length > 7_900 ? "*" : payload;
}

// One per process, shared by every bundle that loads this module.
const key = Symbol.for("meridian.snapshot-watcher");
const g = globalThis as typeof globalThis & { [key]?: SnapshotWatcher };
export const snapshotWatcher: SnapshotWatcher = (g[key] ??= new SnapshotWatcher());
