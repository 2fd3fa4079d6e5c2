/**
 * What the sync code needs from its host process (the built-in gateway, an agent): a logger
 * shaped like pino's and a few metrics. Structural, so that lib/domain depends on neither.
 */
export interface SyncLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface SyncMetrics {
  snapshotsRejected: { inc(): void };
  snapshotApplied(version: string): void;
  eventBatchesPending: { set(value: number): void };
  eventBatchesDropped: { inc(): void };
}

/** Metrics that count nothing, for hosts that export none. */
export const noMetrics: SyncMetrics = {
  snapshotsRejected: { inc() {} },
  snapshotApplied() {},
  eventBatchesPending: { set() {} },
  eventBatchesDropped: { inc() {} },
};
