import { LATENCY_BUCKETS, emptyHistogram, mergeHistograms, percentile } from "./histogram";

/** Sums as stored in roll-ups: everything merges by addition (max by max). */
export interface Aggregate {
  requests: number;
  /** Requests per status class, index 0 = 1xx … 4 = 5xx. */
  classes: number[];
  status401: number;
  status403: number;
  status429: number;
  requestBytes: number;
  responseBytes: number;
  latencySum: number;
  latencyMax: number;
  upstreamLatencySum: number;
  upstreamCount: number;
  histogram: number[];
}

/** What the API answers for any set of requests. Errors are responses with status ≥ 400. */
export interface AnalyticsMetrics {
  requests: number;
  errors: number;
  errorRate: number;
  status1xx: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  status401: number;
  status403: number;
  status429: number;
  requestBytes: number;
  responseBytes: number;
  latencyAvgMs: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  latencyMaxMs: number | null;
  upstreamLatencyAvgMs: number | null;
}

export function emptyAggregate(): Aggregate {
  return {
    requests: 0,
    classes: [0, 0, 0, 0, 0],
    status401: 0,
    status403: 0,
    status429: 0,
    requestBytes: 0,
    responseBytes: 0,
    latencySum: 0,
    latencyMax: 0,
    upstreamLatencySum: 0,
    upstreamCount: 0,
    histogram: emptyHistogram(),
  };
}

export function mergeAggregate(into: Aggregate, from: Aggregate): Aggregate {
  into.requests += from.requests;
  for (let i = 0; i < 5; i++) into.classes[i] += from.classes[i];
  into.status401 += from.status401;
  into.status403 += from.status403;
  into.status429 += from.status429;
  into.requestBytes += from.requestBytes;
  into.responseBytes += from.responseBytes;
  into.latencySum += from.latencySum;
  into.latencyMax = Math.max(into.latencyMax, from.latencyMax);
  into.upstreamLatencySum += from.upstreamLatencySum;
  into.upstreamCount += from.upstreamCount;
  mergeHistograms(into.histogram, from.histogram);
  return into;
}

const round = (v: number | null, digits = 2) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

export function toMetrics(a: Aggregate): AnalyticsMetrics {
  const errors = a.classes[3] + a.classes[4];
  const has = a.requests > 0;
  return {
    requests: a.requests,
    errors,
    errorRate: has ? round(errors / a.requests, 4)! : 0,
    status1xx: a.classes[0],
    status2xx: a.classes[1],
    status3xx: a.classes[2],
    status4xx: a.classes[3],
    status5xx: a.classes[4],
    status401: a.status401,
    status403: a.status403,
    status429: a.status429,
    requestBytes: a.requestBytes,
    responseBytes: a.responseBytes,
    latencyAvgMs: has ? round(a.latencySum / a.requests) : null,
    latencyP50Ms: has ? round(percentile(a.histogram, 0.5, a.latencyMax)) : null,
    latencyP95Ms: has ? round(percentile(a.histogram, 0.95, a.latencyMax)) : null,
    latencyP99Ms: has ? round(percentile(a.histogram, 0.99, a.latencyMax)) : null,
    latencyMaxMs: has ? round(a.latencyMax) : null,
    upstreamLatencyAvgMs: a.upstreamCount > 0 ? round(a.upstreamLatencySum / a.upstreamCount) : null,
  };
}

export const METRIC_KEYS = Object.keys(toMetrics(emptyAggregate())) as Array<keyof AnalyticsMetrics>;

export { LATENCY_BUCKETS };
