import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { LeanCounter, LeanHistogram } from "./lean-metrics";

/**
 * Prometheus metrics of one gateway. Its own registry, so that several gateways in one process
 * (tests) do not share counters. The `api` label is the API id ("none" when no API matched),
 * which keeps cardinality bounded by the snapshot rather than by what clients send. In a
 * multi-process gateway each process keeps its own and the primary aggregates them when scraped:
 * counters and histograms add up, the snapshot gauges take the highest value.
 */

/**
 * prom-client's default metrics include three gauges named like counters (`…_total`), which
 * `promtool check metrics` refuses. Each is the sum of a gauge it also exports by `type`
 * (`sum without (type) (meridian_gateway_nodejs_active_handles)`), so they are left out.
 */
const METRIC_PREFIX = "meridian_gateway_";
const GAUGES_NAMED_AS_COUNTERS = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new LeanCounter(
    "meridian_gateway_requests_total",
    "Requests answered, by API and status.",
    ["api", "status"],
    this.registry,
  );
  private readonly latency = new LeanHistogram(
    "meridian_gateway_request_duration_seconds",
    "Time from arrival to the end of the response.",
    ["api"],
    LATENCY_BUCKETS,
    this.registry,
  );
  private readonly upstreamLatency = new LeanHistogram(
    "meridian_gateway_upstream_duration_seconds",
    "Time from sending upstream to its response headers.",
    ["api"],
    LATENCY_BUCKETS,
    this.registry,
  );
  private readonly rateLimited = new Counter({
    name: "meridian_gateway_rate_limited_total",
    help: "Requests refused with 429.",
    labelNames: ["api"],
    registers: [this.registry],
  });
  private readonly authFailed = new Counter({
    name: "meridian_gateway_auth_failed_total",
    help: "Requests refused with 401 or 403, by reason.",
    labelNames: ["api", "reason"],
    registers: [this.registry],
  });
  private readonly snapshotInfo = new Gauge({
    name: "meridian_gateway_snapshot_info",
    help: "1 for the snapshot version being served.",
    labelNames: ["version"],
    registers: [this.registry],
    aggregator: "max",
  });
  private readonly snapshotAppliedAt = new Gauge({
    name: "meridian_gateway_snapshot_applied_timestamp_seconds",
    help: "When the served snapshot was applied.",
    registers: [this.registry],
    aggregator: "max",
  });
  readonly snapshotsRejected = new Counter({
    name: "meridian_gateway_snapshots_rejected_total",
    help: "Snapshots refused as malformed.",
    registers: [this.registry],
  });
  readonly eventBatchesDropped = new Counter({
    name: "meridian_gateway_event_batches_dropped_total",
    help: "Analytics batches dropped, oldest first, because the spool was full.",
    registers: [this.registry],
  });
  readonly eventBatchesPending = new Gauge({
    name: "meridian_gateway_event_batches_pending",
    help: "Analytics batches on disk awaiting delivery.",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    for (const name of GAUGES_NAMED_AS_COUNTERS) this.registry.removeSingleMetric(`${METRIC_PREFIX}${name}`);
  }

  observeRequest(api: string, status: number, seconds: number, upstreamSeconds: number | null): void {
    this.requests.inc(api, status);
    this.latency.observe(api, seconds, api);
    if (upstreamSeconds !== null) this.upstreamLatency.observe(api, upstreamSeconds, api);
  }

  countRateLimited(api: string): void {
    this.rateLimited.labels(api).inc();
  }

  countAuthFailed(api: string, reason: string): void {
    this.authFailed.labels(api, reason).inc();
  }

  snapshotApplied(version: string): void {
    this.snapshotInfo.reset();
    this.snapshotInfo.labels(version).set(1);
    this.snapshotAppliedAt.set(Date.now() / 1000);
  }
}
