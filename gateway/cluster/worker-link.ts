import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import { EventBatcher, type BatcherOptions } from "@/lib/domain/gateway/sync/event-shipper";
import type { QuotaCounts } from "../limits/quota-counter";
import type { ToPrimary, ToWorker } from "./messages";

type Reply = Extract<ToWorker, { id: number }>;

/** A worker's side of the IPC channel to its primary. */
export class WorkerLink {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private state: { ready: number; total: number; started: boolean } | null = null;
  private firstState: Promise<void>;
  onSnapshot: (snapshot: Snapshot) => void = () => undefined;
  /** Until the worker serves, there is nothing to drain: asked to stop, or orphaned, it just exits. */
  onDrain: () => void = () => process.exit(0);
  /** Answers the primary's request for this worker's metrics. */
  collectMetrics: () => Promise<unknown[]> = async () => [];

  constructor() {
    let resolve!: () => void;
    this.firstState = new Promise((r) => (resolve = r));
    // An orphaned worker (its primary died) stops rather than serving a snapshot nobody updates.
    process.once("disconnect", () => this.onDrain());
    process.on("message", (message: ToWorker) => {
      switch (message.type) {
        case "snapshot":
          return this.onSnapshot(message.snapshot);
        case "cluster":
          this.state = message;
          return resolve();
        case "drain":
          return this.onDrain();
        case "metrics-collect":
          void this.collectMetrics().then(
            (metrics) => this.send({ type: "metrics-json", id: message.id, metrics }),
            () => this.send({ type: "metrics-json", id: message.id, metrics: [] }),
          );
          return;
        default: {
          const waiter = this.waiting.get(message.id);
          this.waiting.delete(message.id);
          waiter?.(message);
        }
      }
    });
  }

  /** Asks the primary for the current snapshot; resolves once it has said how the cluster stands (after that snapshot, if any). */
  async ready(): Promise<void> {
    await this.send({ type: "hello" });
    return this.firstState;
  }

  cluster(): { ready: number; total: number; started: boolean } | null {
    return this.state;
  }

  send(message: ToPrimary): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!process.send || !process.connected) return reject(new Error("The primary is gone."));
      process.send(message, undefined, undefined, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  /** Sends a message carrying a fresh `id` and waits for the primary's answer with that id. */
  async request<R extends Reply>(make: (id: number) => ToPrimary, timeoutMs = 5_000): Promise<R> {
    const id = this.nextId++;
    const answer = new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error("The primary did not answer."));
      }, timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply as R);
      });
    });
    await this.send(make(id));
    return answer;
  }

  syncQuotas(deltas: QuotaCounts): Promise<QuotaCounts> {
    return this.request<Extract<ToWorker, { type: "quota-totals" }>>((id) => ({ type: "quota-sync", id, deltas })).then((r) => r.totals);
  }

  metricsText(): Promise<{ text: string; contentType: string }> {
    return this.request<Extract<ToWorker, { type: "metrics-text" }>>((id) => ({ type: "metrics-request", id }));
  }
}

/**
 * A worker's analytics events: batched like the single-process shipper does, and each batch
 * handed to the primary, which answers once it is on disk (one batch at a time, in order).
 */
export function eventForwarder(
  link: WorkerLink,
  batchSize: number,
  flushMs: number,
  onError: (error: unknown) => void,
  options?: BatcherOptions,
): EventBatcher {
  let sends: Promise<void> = Promise.resolve();
  return new EventBatcher(
    batchSize,
    flushMs,
    (batchId, batch) => {
      sends = sends.then(() =>
        link
          .request((id) => ({ type: "events", id, batchId, batch }), 30_000)
          .then(
            () => undefined,
            (error) => onError(error),
          ),
      );
      return sends;
    },
    options,
  );
}
