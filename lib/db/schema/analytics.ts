import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { LATENCY_BUCKETS, bucketColumn } from "@/lib/domain/analytics/histogram";
import { tstz } from "./columns";

/**
 * Batches received from gateways, by id: a batch sent twice is stored once. `seq` orders
 * batches as they were stored; `rolledUpAt` stays null until the worker has added the batch's
 * events to the roll-ups, in the same transaction as the roll-up itself, so every batch is
 * counted exactly once however late its events are.
 */
export const analyticsBatches = pgTable(
  "analytics_batches",
  {
    batchId: uuid("batch_id").primaryKey(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
    environmentId: text("environment_id").notNull(),
    eventCount: integer("event_count").notNull(),
    receivedAt: tstz("received_at").notNull().defaultNow(),
    rolledUpAt: tstz("rolled_up_at"),
    /**
     * The batch carried per-minute aggregates (staged in analytics_aggregate_staging until
     * rolled up); its raw events are a sample, kept for the recent calls and errors, and never
     * counted.
     */
    aggregated: boolean("aggregated").notNull().default(false),
  },
  (t) => [
    uniqueIndex("analytics_batches_seq_key").on(t.seq),
    index("analytics_batches_pending_idx")
      .on(t.seq)
      .where(sql`${t.rolledUpAt} is null`),
    index("analytics_batches_received_at_idx").on(t.receivedAt),
  ],
);
export type AnalyticsBatchRow = typeof analyticsBatches.$inferSelect;

/**
 * Raw request events from gateways, kept for a retention period (roll-ups keep the rest).
 * Idempotency is per batch (see analyticsBatches), so the table carries no unique index on the
 * event id: a BRIN index on time and a b-tree on the (increasing) batch sequence keep bulk
 * inserts cheap.
 */
export const analyticsEvents = pgTable(
  "analytics_events",
  {
    id: uuid("id").notNull(),
    batchId: uuid("batch_id").notNull(),
    // Events stored before roll-ups existed carry 0 and belong to no pending batch.
    batchSeq: bigint("batch_seq", { mode: "number" }).notNull().default(0),
    time: tstz("time").notNull(),
    environment: text("environment").notNull(),
    instanceId: text("instance_id").notNull(),
    region: text("region"),
    apiId: text("api_id").notNull(),
    operation: text("operation"),
    applicationId: text("application_id"),
    keyType: text("key_type"),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    latencyMs: real("latency_ms").notNull(),
    upstreamLatencyMs: real("upstream_latency_ms"),
    requestBytes: integer("request_bytes").notNull(),
    responseBytes: integer("response_bytes").notNull(),
    errorCode: text("error_code"),
  },
  // Events arrive roughly in time order, so a BRIN index serves retention and time ranges at
  // almost no cost per insert; pending-batch lookups need the exact b-tree on batch_seq.
  (t) => [index("analytics_events_time_brin").using("brin", t.time), index("analytics_events_batch_seq_idx").on(t.batchSeq)],
);

function histogramColumns() {
  const columns: Record<string, ReturnType<typeof bigint>> = {};
  for (let i = 0; i < LATENCY_BUCKETS; i++) columns[bucketColumn(i)] = bigint(bucketColumn(i), { mode: "number" }).notNull().default(0);
  return columns as Record<string, ReturnType<ReturnType<typeof bigint>["notNull"]>>;
}

/** Sums as stored in every roll-up table. */
function measureColumns() {
  return {
    requests: bigint("requests", { mode: "number" }).notNull(),
    status401: bigint("status_401", { mode: "number" }).notNull().default(0),
    status403: bigint("status_403", { mode: "number" }).notNull().default(0),
    status429: bigint("status_429", { mode: "number" }).notNull().default(0),
    requestBytes: bigint("request_bytes", { mode: "number" }).notNull().default(0),
    responseBytes: bigint("response_bytes", { mode: "number" }).notNull().default(0),
    latencySum: doublePrecision("latency_sum").notNull().default(0),
    latencyMax: real("latency_max").notNull().default(0),
    upstreamLatencySum: doublePrecision("upstream_latency_sum").notNull().default(0),
    upstreamCount: bigint("upstream_count", { mode: "number" }).notNull().default(0),
    ...histogramColumns(),
  };
}

/**
 * One roll-up table per resolution. A row is one time bucket × environment × region × API ×
 * operation × application × status class (1..5 for 1xx..5xx); absent dimensions are stored as
 * '' so that the unique key (the ON CONFLICT target) treats them as equal.
 */
function rollupTable<N extends string>(name: N) {
  return pgTable(
    name,
    {
      bucket: tstz("bucket").notNull(),
      environment: text("environment").notNull(),
      region: text("region").notNull().default(""),
      apiId: text("api_id").notNull(),
      operation: text("operation").notNull().default(""),
      applicationId: text("application_id").notNull().default(""),
      statusClass: smallint("status_class").notNull(),
      ...measureColumns(),
    },
    (t) => [
      uniqueIndex(`${name}_key`).on(t.bucket, t.environment, t.region, t.apiId, t.operation, t.applicationId, t.statusClass),
      index(`${name}_api_bucket_idx`).on(t.apiId, t.bucket),
      index(`${name}_application_bucket_idx`).on(t.applicationId, t.bucket),
    ],
  );
}

/**
 * The same sums by environment × region × status class only: a handful of rows per bucket, for
 * queries that neither filter, group nor scope by API, operation or application.
 */
function environmentRollupTable<N extends string>(name: N) {
  return pgTable(
    name,
    {
      bucket: tstz("bucket").notNull(),
      environment: text("environment").notNull(),
      region: text("region").notNull().default(""),
      statusClass: smallint("status_class").notNull(),
      ...measureColumns(),
    },
    (t) => [uniqueIndex(`${name}_key`).on(t.bucket, t.environment, t.region, t.statusClass)],
  );
}

/** Per-minute roll-ups: the last hours and days at full resolution. */
export const analyticsMinuteRollups = rollupTable("analytics_rollups_minute");
/** Per-hour roll-ups: days to weeks at hour resolution. */
export const analyticsHourRollups = rollupTable("analytics_rollups_hour");
/** Per-day roll-ups (UTC days): what ranges of weeks and months read. */
export const analyticsDayRollups = rollupTable("analytics_rollups_day");
/** Per-week roll-ups (weeks from Monday, UTC): the whole weeks inside long ranges' totals. */
export const analyticsWeekRollups = rollupTable("analytics_rollups_week");
export type AnalyticsRollupRow = typeof analyticsMinuteRollups.$inferSelect;

export const analyticsEnvMinuteRollups = environmentRollupTable("analytics_env_rollups_minute");
export const analyticsEnvHourRollups = environmentRollupTable("analytics_env_rollups_hour");
export const analyticsEnvDayRollups = environmentRollupTable("analytics_env_rollups_day");
export type AnalyticsEnvRollupRow = typeof analyticsEnvMinuteRollups.$inferSelect;

/**
 * Per-minute aggregates of batches in the aggregate form, as the gateways sent them, until the
 * worker adds them to the roll-ups (then they are deleted, in the same transaction that stamps
 * the batch). Written in the same statement that claims the batch id, so a batch's aggregates
 * are staged exactly once; dashboards add the staged rows of batches not yet rolled up.
 */
export const analyticsAggregateStaging = pgTable(
  "analytics_aggregate_staging",
  {
    batchSeq: bigint("batch_seq", { mode: "number" }).notNull(),
    bucket: tstz("bucket").notNull(),
    environment: text("environment").notNull(),
    region: text("region").notNull().default(""),
    apiId: text("api_id").notNull(),
    operation: text("operation").notNull().default(""),
    applicationId: text("application_id").notNull().default(""),
    statusClass: smallint("status_class").notNull(),
    ...measureColumns(),
  },
  (t) => [index("analytics_aggregate_staging_batch_seq_idx").on(t.batchSeq)],
);

/**
 * What a third-party gateway last reported per API, minute and status class (CloudWatch for
 * AWS, the API Management reports for Azure). A vendor may revise a recent minute; each pull
 * stages only the difference from what is here, so the roll-ups hold the latest figures,
 * counted once.
 */
export const analyticsVendorMinutes = pgTable(
  "analytics_vendor_minutes",
  {
    environmentId: text("environment_id").notNull(),
    apiId: text("api_id").notNull(),
    bucket: tstz("bucket").notNull(),
    statusClass: smallint("status_class").notNull(),
    requests: bigint("requests", { mode: "number" }).notNull(),
    latencySum: doublePrecision("latency_sum").notNull().default(0),
    latencyMax: real("latency_max").notNull().default(0),
    upstreamLatencySum: doublePrecision("upstream_latency_sum").notNull().default(0),
    upstreamCount: bigint("upstream_count", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.environmentId, t.apiId, t.bucket, t.statusClass] }),
    index("analytics_vendor_minutes_bucket_idx").on(t.bucket),
  ],
);
