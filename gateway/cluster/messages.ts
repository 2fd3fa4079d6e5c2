import type { Snapshot } from "@/lib/domain/gateway/snapshot";
import type { QuotaCounts } from "../limits/quota-counter";

/**
 * What the primary and the workers of a multi-process gateway tell each other over the cluster's
 * IPC channel (structured clone, so snapshots and batches cross without another JSON pass).
 * The primary owns everything that must happen once per replica: the snapshot sync and its disk
 * cache, heartbeats, the analytics spool, the quota counts' file. Workers serve requests.
 */

/** Primary → worker. */
export type ToWorker =
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "cluster"; ready: number; total: number; started: boolean }
  | { type: "quota-totals"; id: number; totals: QuotaCounts }
  | { type: "metrics-collect"; id: number }
  | { type: "metrics-text"; id: number; text: string; contentType: string }
  | { type: "events-spooled"; id: number }
  | { type: "drain" };

/** Worker → primary. */
export type ToPrimary =
  | { type: "hello" }
  | { type: "listening"; port: number }
  | { type: "events"; id: number; batchId: string; batch: Uint8Array }
  | { type: "quota-sync"; id: number; deltas: QuotaCounts }
  | { type: "metrics-request"; id: number }
  | { type: "metrics-json"; id: number; metrics: unknown[] };
