/**
 * Traffic that a third-party gateway (AWS API Gateway, Azure API Management) reports for one of
 * Meridian's APIs in one minute: counts and average latencies, with no per-caller breakdown
 * and no latency histogram.
 */
export interface VendorMinute {
  /** The caller's key for this API (Meridian's API id). */
  key: string;
  /** The minute's start, ISO 8601. */
  minute: string;
  requests: number;
  errors4xx: number;
  errors5xx: number;
  /** Average latency (ms) of the minute's requests; null when not reported. */
  latencyAvgMs: number | null;
  latencyMaxMs: number | null;
  /** Average time spent in the backend (ms); null when not reported. */
  upstreamLatencyAvgMs: number | null;
}

/** A minute of one API as roll-up sums per status class (2, 4, 5); classes without requests are left out. */
export interface VendorClassRow {
  apiId: string;
  minute: string;
  statusClass: 2 | 4 | 5;
  requests: number;
  latencySum: number;
  latencyMax: number;
  upstreamLatencySum: number;
  upstreamCount: number;
}

/**
 * Splits a reported minute into status classes. The vendor reports one average latency for
 * all of a minute's requests, so every class gets that average (its sum is average × count).
 */
export function vendorClassRows(m: VendorMinute): VendorClassRow[] {
  const errors4xx = Math.max(0, Math.min(m.errors4xx, m.requests));
  const errors5xx = Math.max(0, Math.min(m.errors5xx, m.requests - errors4xx));
  const classes: Array<[2 | 4 | 5, number]> = [
    [2, m.requests - errors4xx - errors5xx],
    [4, errors4xx],
    [5, errors5xx],
  ];
  return classes
    .filter(([, n]) => n > 0)
    .map(([statusClass, n]) => ({
      apiId: m.key,
      minute: m.minute,
      statusClass,
      requests: n,
      latencySum: m.latencyAvgMs === null ? 0 : round(m.latencyAvgMs * n),
      latencyMax: m.latencyMaxMs ?? m.latencyAvgMs ?? 0,
      upstreamLatencySum: m.upstreamLatencyAvgMs === null ? 0 : round(m.upstreamLatencyAvgMs * n),
      upstreamCount: m.upstreamLatencyAvgMs === null ? 0 : n,
    }));
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * The application key of traffic whose gateway reports no callers: never an application id (those
 * start with a letter), so it neither merges with "no application" (anonymous or refused calls
 * through Meridian's gateways) nor reads as zero traffic.
 */
export const NO_APPLICATION_BREAKDOWN: Record<"aws" | "azure", string> = { aws: "~aws", azure: "~azure" };

const VENDOR_NAMES: Record<string, string> = { "~aws": "AWS API Gateway", "~azure": "Azure API Management" };

/** The dashboard label of an application key that stands for a vendor's unbroken-down traffic, or null. */
export function noBreakdownLabel(applicationKey: string): string | null {
  const vendor = VENDOR_NAMES[applicationKey];
  return vendor ? `No per-application breakdown (${vendor})` : null;
}
