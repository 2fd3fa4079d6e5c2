import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { eventGroupJson } from "@/lib/domain/gateway/sync/event-json";
import { EventBatcher } from "@/lib/domain/gateway/sync/event-shipper";
import {
  MinuteAggregator,
  aggregateAnalyticsBatchSchema,
  keepsRawEvent,
  parseAnyAnalyticsBatch,
  parseEventSample,
} from "./aggregate-batch";
import { LATENCY_BUCKETS, bucketIndex } from "./histogram";

const group = eventGroupJson({
  environment: "e",
  instanceId: "i",
  region: null,
  apiId: "a",
  operation: "GET /x",
  applicationId: "app",
  keyType: "production",
  method: "GET",
});
const T0 = Date.parse("2026-12-07T10:00:00.000Z");

describe("MinuteAggregator", () => {
  it("sums requests per minute and status class, with the control plane's latency buckets", () => {
    const agg = new MinuteAggregator();
    agg.add(group, T0 + 1_000, 200, 4.2, 3, 10, 100);
    agg.add(group, T0 + 59_999, 201, 12, null, 0, 50);
    agg.add(group, T0 + 2_000, 401, 0.3, null, 5, 20);
    agg.add(group, T0 + 60_000, 200, 1, 1, 0, 0);
    expect(agg.size).toBe(3);
    const rows = agg.take(T0, () => 0);
    expect(agg.size).toBe(0);
    const first = rows.find((r) => r[1] === 0 && r[2] === 2)!;
    expect(first.slice(0, 13)).toEqual([0, 0, 2, 2, 0, 0, 0, 10, 150, 16.2, 12, 3, 1]);
    expect(first[13][bucketIndex(4.2)]).toBe(1);
    expect(first[13][bucketIndex(12)]).toBe(1);
    expect(rows.find((r) => r[2] === 4)!.slice(2, 5)).toEqual([4, 1, 1]);
    expect(rows.find((r) => r[1] === 60_000)![3]).toBe(1);
  });
});

describe("sampling", () => {
  it("keeps every error and the configured share of successes", () => {
    expect(keepsRawEvent(500, 0)).toBe(true);
    expect(keepsRawEvent(404, 0)).toBe(true);
    expect(keepsRawEvent(200, 0)).toBe(false);
    expect(keepsRawEvent(200, 1)).toBe(true);
    expect(keepsRawEvent(200, 0.5, () => 0.49)).toBe(true);
    expect(keepsRawEvent(200, 0.5, () => 0.5)).toBe(false);
  });

  it("reads MERIDIAN_GATEWAY_EVENT_SAMPLE as a share or a percentage, 1% by default", () => {
    expect(parseEventSample(undefined)).toBe(0.01);
    expect(parseEventSample("0")).toBe(0);
    expect(parseEventSample("25%")).toBe(0.25);
    expect(parseEventSample("1")).toBe(1);
    expect(() => parseEventSample("2")).toThrow(/MERIDIAN_GATEWAY_EVENT_SAMPLE/);
    expect(() => parseEventSample("lots")).toThrow(/MERIDIAN_GATEWAY_EVENT_SAMPLE/);
  });
});

describe("the aggregate batch form", () => {
  async function batchOf(sample: number, count: number) {
    const bodies: Buffer[] = [];
    const batcher = new EventBatcher(10_000, 60_000, async (_id, b) => void bodies.push(Buffer.from(b)), { successSample: sample });
    for (let i = 0; i < count; i++)
      batcher.recordRequest(group, T0 + i * 100, `/x/${i}`, i % 7 === 0 ? 503 : 200, i % 40, 1, 3, 4, undefined);
    await batcher.flush();
    return bodies.map((b) => JSON.parse(b.toString("utf8")));
  }

  it("counts every request once in the aggregates whatever the sample, and samples raw events", async () => {
    for (const sample of [0, 1]) {
      const [body] = await batchOf(sample, 1_000);
      expect(body.format).toBe(3);
      const parsed = parseAnyAnalyticsBatch(body);
      expect(parsed.aggregates.reduce((n, a) => n + a.requests, 0)).toBe(1_000);
      const errors = Array.from({ length: 1_000 }, (_, i) => i).filter((i) => i % 7 === 0).length;
      expect(parsed.events.length).toBe(sample === 0 ? errors : 1_000);
      expect(parsed.aggregates.filter((a) => a.statusClass === 5).reduce((n, a) => n + a.requests, 0)).toBe(errors);
      expect(new Set(parsed.aggregates.map((a) => a.minute))).toEqual(new Set(["2026-12-07T10:00:00.000Z", "2026-12-07T10:01:00.000Z"]));
    }
  });

  it("refuses rows whose histogram disagrees with their count, and groups out of range", () => {
    const histogram = new Array(LATENCY_BUCKETS).fill(0);
    histogram[3] = 2;
    const row = [0, 0, 2, 2, 0, 0, 0, 0, 0, 1, 1, 0, 0, histogram];
    const batch = {
      batchId: randomUUID(),
      format: 3,
      start: "2026-12-07T10:00:00.000Z",
      groups: [JSON.parse(group)],
      events: [],
      aggregates: [row],
    };
    expect(aggregateAnalyticsBatchSchema.safeParse(batch).success).toBe(true);
    expect(aggregateAnalyticsBatchSchema.safeParse({ ...batch, aggregates: [[...row.slice(0, 3), 3, ...row.slice(4)]] }).success).toBe(
      false,
    );
    expect(aggregateAnalyticsBatchSchema.safeParse({ ...batch, aggregates: [[1, ...row.slice(1)]] }).success).toBe(false);
    expect(aggregateAnalyticsBatchSchema.safeParse({ ...batch, start: "2026-12-07T10:00:01.000Z" }).success).toBe(false);
  });
});
