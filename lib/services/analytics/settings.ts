/** Analytics settings, read from the environment on each use so tests and operators can change them. */
function positive(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const analyticsSettings = {
  /** Raw events are kept this many days (default 7). */
  get rawRetentionDays(): number {
    return positive("MERIDIAN_ANALYTICS_RETENTION_DAYS", 7);
  },
  /** Hour and day roll-ups are kept this many days (default 395, about 13 months). */
  get rollupRetentionDays(): number {
    return positive("MERIDIAN_ANALYTICS_ROLLUP_RETENTION_DAYS", 395);
  },
  /** Minute roll-ups are kept this many days (default: as long as the hour roll-ups). */
  get minuteRollupRetentionDays(): number {
    return positive("MERIDIAN_ANALYTICS_MINUTE_ROLLUP_RETENTION_DAYS", this.rollupRetentionDays);
  },
  /**
   * Batch ids are remembered (for idempotency) at least 30 days, longer than a gateway keeps
   * batches spooled during an outage, so a late resend is still recognised.
   */
  get batchRetentionDays(): number {
    return Math.max(30, this.rawRetentionDays);
  },
  /** How often the worker rolls up new batches (default 10 s; dashboards read newer events raw). */
  get rollupIntervalMs(): number {
    return positive("MERIDIAN_ANALYTICS_ROLLUP_INTERVAL_MS", 10_000);
  },
  /** How often the worker reads AWS and Azure environments' traffic metrics (default 60 s). */
  get vendorMetricsIntervalMs(): number {
    return positive("MERIDIAN_VENDOR_METRICS_INTERVAL_MS", 60_000);
  },
  /** How far back each read goes: vendors publish a minute late and may revise it (default 20 minutes). */
  get vendorMetricsLookbackMinutes(): number {
    return positive("MERIDIAN_VENDOR_METRICS_LOOKBACK_MINUTES", 20);
  },
  get retentionIntervalMs(): number {
    return positive("MERIDIAN_ANALYTICS_RETENTION_INTERVAL_MS", 60 * 60_000);
  },
};
