import { z } from "zod";
import {
  COMPACT_MAX_OFFSET_MS,
  MAX_COMPACT_EVENTS_PER_BATCH,
  analyticsEventGroupSchema,
  compactAnalyticsEventSchema,
  expandAnalyticsBatch,
  parseAnalyticsBatch,
  type AnalyticsEvent,
  type AnalyticsEventGroup,
} from "@/lib/domain/gateway/snapshot";
import { LATENCY_BUCKETS, bucketIndex } from "./histogram";
import type { Aggregate } from "./metrics";

/**
 * Edge aggregation: what a gateway (the built-in one, or any gateway of the agent kit) sends
 * instead of one raw event per request. Requests are summed per minute × group (environment,
 * instance, region, API, operation, application, key type, method) × status class, with the
 * same measures and the same 28 latency buckets as the control plane's roll-ups, so that counts
 * stay exact and percentiles keep the histogram's bucket error. Raw events become a sample:
 * every error (status ≥ 400) plus a configurable share of the successes.
 *
 * Pure data and arithmetic (no Node.js API), so that any gateway process can import it.
 */

/** Rows of aggregates one batch may carry. */
export const MAX_AGGREGATES_PER_BATCH = 10_000;

/**
 * One aggregate row: `[group, minuteOffset, statusClass, requests, status401, status403,
 * status429, requestBytes, responseBytes, latencySum, latencyMax, upstreamLatencySum,
 * upstreamCount, histogram]`. `group` indexes the batch's `groups`; `minuteOffset` is the
 * minute's start in ms from the batch's `start` (a multiple of 60,000 from a minute-aligned
 * start); `statusClass` is 1..5 (1xx..5xx); `histogram` holds the 28 latency bucket counts.
 */
const count = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
export const aggregateRowSchema = z
  .tuple([
    z.int().min(0),
    z.int().min(-COMPACT_MAX_OFFSET_MS).max(COMPACT_MAX_OFFSET_MS).multipleOf(60_000),
    z.int().min(1).max(5),
    count.min(1),
    count,
    count,
    count,
    count,
    count,
    z.number().min(0),
    z.number().min(0),
    z.number().min(0),
    count,
    z.array(count).length(LATENCY_BUCKETS),
  ])
  .superRefine((row, ctx) => {
    const histogramTotal = row[13].reduce((a, b) => a + b, 0);
    if (histogramTotal !== row[3])
      ctx.addIssue({ code: "custom", path: [13], message: `The histogram counts ${histogramTotal} requests, the row ${row[3]}.` });
    if (row[4] + row[5] + row[6] > row[3] || row[12] > row[3])
      ctx.addIssue({ code: "custom", path: [4], message: "A row counts more statuses or upstream calls than requests." });
  });
export type AggregateRow = z.infer<typeof aggregateRowSchema>;

/**
 * The aggregate form of a batch (`format: 3`): per-minute aggregates of every request, plus the
 * sampled raw events (the compact form's events, on the same `groups`). The batch id makes it
 * count once, as for every other form.
 */
export const aggregateAnalyticsBatchSchema = z
  .object({
    batchId: z.uuid(),
    format: z.literal(3),
    /** A minute boundary: aggregates' minutes and events' times are offsets from it. */
    start: z.iso.datetime({ offset: true }).refine((s) => Date.parse(s) % 60_000 === 0, "start must be a minute boundary."),
    groups: z
      .array(analyticsEventGroupSchema)
      .min(1)
      .max(MAX_AGGREGATES_PER_BATCH + MAX_COMPACT_EVENTS_PER_BATCH),
    events: z.array(compactAnalyticsEventSchema).max(MAX_COMPACT_EVENTS_PER_BATCH),
    aggregates: z.array(aggregateRowSchema).max(MAX_AGGREGATES_PER_BATCH),
  })
  .superRefine((batch, ctx) => {
    const groups = batch.groups.length;
    const e = batch.events.findIndex((row) => row[0] >= groups);
    if (e >= 0)
      ctx.addIssue({
        code: "custom",
        path: ["events", e, 0],
        message: `Event ${e} names group ${batch.events[e][0]}, but the batch has ${groups}.`,
      });
    const a = batch.aggregates.findIndex((row) => row[0] >= groups);
    if (a >= 0)
      ctx.addIssue({
        code: "custom",
        path: ["aggregates", a, 0],
        message: `Aggregate ${a} names group ${batch.aggregates[a][0]}, but the batch has ${groups}.`,
      });
    if (batch.events.length === 0 && batch.aggregates.length === 0)
      ctx.addIssue({ code: "custom", path: ["aggregates"], message: "The batch is empty." });
  });
export type AggregateAnalyticsBatch = z.infer<typeof aggregateAnalyticsBatchSchema>;

/** One aggregate with its group and minute spelled out (what the control plane stores). */
/** The sums of one minute, one group and one status class: an `Aggregate` without the per-class split. */
export interface MinuteAggregate extends Omit<Aggregate, "classes"> {
  minute: string;
  group: AnalyticsEventGroup;
  statusClass: number;
}

export function expandAggregates(batch: AggregateAnalyticsBatch): MinuteAggregate[] {
  const start = Date.parse(batch.start);
  return batch.aggregates.map((r) => ({
    minute: new Date(start + r[1]).toISOString(),
    group: batch.groups[r[0]],
    statusClass: r[2],
    requests: r[3],
    status401: r[4],
    status403: r[5],
    status429: r[6],
    requestBytes: r[7],
    responseBytes: r[8],
    latencySum: r[9],
    latencyMax: r[10],
    upstreamLatencySum: r[11],
    upstreamCount: r[12],
    histogram: r[13],
  }));
}

/** Which raw events a gateway keeps: every error, and `successShare` (0..1) of the rest. */
export function keepsRawEvent(status: number, successShare: number, random: () => number = Math.random): boolean {
  if (status >= 400) return true;
  if (successShare >= 1) return true;
  if (successShare <= 0) return false;
  return random() < successShare;
}

/** Parses `MERIDIAN_GATEWAY_EVENT_SAMPLE`: a share like `0.01`, or a percentage like `1%`; 1% when unset. */
export function parseEventSample(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 0.01;
  const text = value.trim();
  const share = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new Error(`MERIDIAN_GATEWAY_EVENT_SAMPLE must be a share from 0 to 1 (e.g. 0.01) or a percentage (e.g. 1%), not ${value}.`);
  return share;
}

const MINUTE_MS = 60_000;

interface Cell {
  group: string;
  minute: number;
  statusClass: number;
  requests: number;
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

/**
 * Sums requests per minute × group × status class. Groups are given as their JSON (the compact
 * form's `eventGroupJson`), which the request path already has; `take()` hands over every row
 * and starts afresh, so each request is in exactly one take.
 */
export class MinuteAggregator {
  private readonly cells = new Map<string, Map<number, Cell>>();
  /** Rows held. */
  size = 0;
  /** Requests held. */
  requests = 0;

  add(
    group: string,
    timeMs: number,
    status: number,
    latencyMs: number,
    upstreamLatencyMs: number | null,
    requestBytes: number,
    responseBytes: number,
  ): void {
    const minute = timeMs - (((timeMs % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    const statusClass = Math.min(Math.max(Math.floor(status / 100), 1), 5);
    let byGroup = this.cells.get(group);
    if (!byGroup) this.cells.set(group, (byGroup = new Map()));
    // minute (ms, a multiple of 60,000) + status class: one number, unique per cell.
    const key = minute + statusClass;
    let cell = byGroup.get(key);
    if (!cell) {
      cell = {
        group,
        minute,
        statusClass,
        requests: 0,
        status401: 0,
        status403: 0,
        status429: 0,
        requestBytes: 0,
        responseBytes: 0,
        latencySum: 0,
        latencyMax: 0,
        upstreamLatencySum: 0,
        upstreamCount: 0,
        histogram: new Array<number>(LATENCY_BUCKETS).fill(0),
      };
      byGroup.set(key, cell);
      this.size++;
    }
    cell.requests++;
    this.requests++;
    if (status === 401) cell.status401++;
    else if (status === 403) cell.status403++;
    else if (status === 429) cell.status429++;
    cell.requestBytes += requestBytes;
    cell.responseBytes += responseBytes;
    // Stored as the control plane stores raw latencies (real), so both paths bucket alike.
    const latency = Math.fround(Math.max(0, latencyMs));
    cell.latencySum += latency;
    if (latency > cell.latencyMax) cell.latencyMax = latency;
    if (upstreamLatencyMs !== null) {
      cell.upstreamLatencySum += Math.fround(Math.max(0, upstreamLatencyMs));
      cell.upstreamCount++;
    }
    cell.histogram[bucketIndex(latency)]++;
  }

  /** The earliest minute held (ms), or null when empty. */
  firstMinute(): number | null {
    let first: number | null = null;
    for (const byGroup of this.cells.values())
      for (const cell of byGroup.values()) if (first === null || cell.minute < first) first = cell.minute;
    return first;
  }

  /**
   * Every row, as the aggregate form's rows relative to `startMs` (a minute boundary), with
   * groups numbered by `groupIndex` (which adds groups it has not seen); empties the aggregator.
   */
  take(startMs: number, groupIndex: (groupJson: string) => number): AggregateRow[] {
    const rows: AggregateRow[] = [];
    for (const byGroup of this.cells.values())
      for (const c of byGroup.values())
        rows.push([
          groupIndex(c.group),
          c.minute - startMs,
          c.statusClass,
          c.requests,
          c.status401,
          c.status403,
          c.status429,
          c.requestBytes,
          c.responseBytes,
          roundMicros(c.latencySum),
          c.latencyMax,
          roundMicros(c.upstreamLatencySum),
          c.upstreamCount,
          c.histogram,
        ]);
    this.cells.clear();
    this.size = 0;
    this.requests = 0;
    return rows;
  }
}

function roundMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The minute boundary at or before `timeMs`. */
export function minuteOf(timeMs: number): number {
  return timeMs - (((timeMs % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
}

/**
 * Validates a batch of any form (full, compact or aggregate) and returns its raw events in the
 * full form and its aggregates (none for the event forms, where every request is an event).
 */
export function parseAnyAnalyticsBatch(input: unknown): { batchId: string; events: AnalyticsEvent[]; aggregates: MinuteAggregate[] } {
  if (typeof input === "object" && input !== null && (input as { format?: unknown }).format === 3) {
    const batch = aggregateAnalyticsBatchSchema.parse(input);
    const events = batch.events.length
      ? expandAnalyticsBatch({ batchId: batch.batchId, format: 2, start: batch.start, groups: batch.groups, events: batch.events }).events
      : [];
    return { batchId: batch.batchId, events, aggregates: expandAggregates(batch) };
  }
  const batch = parseAnalyticsBatch(input);
  return { batchId: batch.batchId, events: batch.events, aggregates: [] };
}
