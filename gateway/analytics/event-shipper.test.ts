import fs from "node:fs";
import fsPromises from "node:fs/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseAnalyticsBatch, type AnalyticsBatch, type AnalyticsEvent } from "@/lib/domain/gateway/snapshot";
import { gatewayLog } from "../log";
import { GatewayMetrics } from "../observability/metrics";
import { tempDir, waitFor } from "../tests/support/harness";
import { EventBatcher, EventShipper } from "@/lib/domain/gateway/sync/event-shipper";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function event(path: string): AnalyticsEvent {
  return {
    id: crypto.randomUUID(),
    time: new Date().toISOString(),
    environment: "e",
    instanceId: "i",
    region: null,
    apiId: "a",
    operation: null,
    applicationId: null,
    keyType: null,
    method: "GET",
    path,
    status: 200,
    latencyMs: 1,
    upstreamLatencyMs: null,
    requestBytes: 0,
    responseBytes: 0,
  };
}

/** A batch as the control plane reads it: validated, in its full form. */
const parseBatch = (text: string | Uint8Array): AnalyticsBatch => parseAnalyticsBatch(JSON.parse(Buffer.from(text).toString("utf8")));

function shipper(send: (b: Buffer) => Promise<number>, dir = tempDir()) {
  dirs.push(dir);
  return new EventShipper({
    dir,
    send,
    batchSize: 2,
    flushMs: 50,
    maxPendingBatches: 3,
    log: gatewayLog,
    metrics: new GatewayMetrics(),
    // The raw event form: these tests follow single events through the spool.
    events: { aggregate: false },
  });
}

describe("EventShipper", () => {
  it("sends batches in order, retrying the oldest until it is acknowledged", async () => {
    const received: AnalyticsBatch[] = [];
    let failures = 2;
    const s = shipper(async (b) => {
      if (failures-- > 0) return 503;
      received.push(parseBatch(b));
      return 202;
    });
    await s.start();
    ["/1", "/2", "/3", "/4", "/5"].forEach((p) => s.record(event(p)));
    await waitFor(() => received.flatMap((b) => b.events).length === 5, 10_000);
    expect(received.flatMap((b) => b.events.map((e) => e.path))).toEqual(["/1", "/2", "/3", "/4", "/5"]);
    await s.stop();
  });

  it("sends straight from memory while the control plane keeps up, and spools only once it fails", async () => {
    const received: string[] = [];
    let up = true;
    const dir = tempDir();
    const s = shipper(async (b) => {
      if (!up) return 503;
      received.push(...parseBatch(b).events.map((e) => e.path));
      return 202;
    }, dir);
    await s.start();
    const onDisk = () => fs.readdirSync(dir).filter((f) => f.endsWith(".json") || f.endsWith(".tmp"));
    const writes = vi.spyOn(fsPromises, "writeFile");
    ["/1", "/2", "/3", "/4"].forEach((p) => s.record(event(p)));
    await waitFor(() => received.length === 4);
    expect(writes).not.toHaveBeenCalled();
    up = false;
    ["/5", "/6"].forEach((p) => s.record(event(p)));
    await waitFor(() => onDisk().length === 1);
    up = true;
    await waitFor(() => received.length === 6, 10_000);
    expect(received).toEqual(["/1", "/2", "/3", "/4", "/5", "/6"]);
    expect(writes).toHaveBeenCalled();
    writes.mockRestore();
    await waitFor(() => onDisk().length === 0);
    await s.stop();
  });

  it("leaves batches it could not deliver on disk when stopped", async () => {
    let release!: () => void;
    const held = new Promise<number>((resolve) => (release = () => resolve(503)));
    const dir = tempDir();
    const s = shipper(() => held, dir);
    await s.start();
    ["/1", "/2"].forEach((p) => s.record(event(p)));
    await new Promise((r) => setTimeout(r, 20));
    const stopped = s.stop();
    release();
    await stopped;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(1);
    expect(parseBatch(fs.readFileSync(`${dir}/${files[0]}`)).events.map((e) => e.path)).toEqual(["/1", "/2"]);
  });

  it("sets aside a batch the control plane refuses for good", async () => {
    const calls: number[] = [];
    const s = shipper(async () => (calls.push(1), 400));
    await s.start();
    s.record(event("/x"));
    s.record(event("/y"));
    await waitFor(() => calls.length === 1);
    await s.stop();
    const dir = dirs[0];
    expect(fs.readdirSync(`${dir}/rejected`)).toHaveLength(1);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".json"))).toHaveLength(0);
  });

  it("drops the oldest batches past the spool limit", async () => {
    const s = shipper(async () => 503);
    await s.start();
    for (let i = 0; i < 10; i++) s.record(event(`/${i}`));
    await s.stop();
    expect(fs.readdirSync(dirs[0]).filter((f) => f.endsWith(".json"))).toHaveLength(3);
  });

  it("serializes a batch that outgrows one buffer into one valid document", async () => {
    const batches: { id: string; body: AnalyticsBatch }[] = [];
    const batcher = new EventBatcher(
      1000,
      10_000,
      async (id, batch) => {
        batches.push({ id, body: parseBatch(batch) });
      },
      { aggregate: false },
    );
    // ~2 KB per event: 300 of them span several 64 KiB buffers; one holds non-ASCII text.
    const paths = Array.from({ length: 300 }, (_, i) => `/${i}/${"é".repeat(i === 7 ? 2000 : 1)}${"x".repeat(2000)}`);
    paths.forEach((p) => batcher.record(event(p)));
    await batcher.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0].body.batchId).toBe(batches[0].id);
    expect(batches[0].body.events.map((e) => e.path)).toEqual(paths);
    await batcher.flush();
    expect(batches).toHaveLength(1);
  });

  it("starts a new batch for an event too far in time from the batch's first", async () => {
    const batches: AnalyticsBatch[] = [];
    const batcher = new EventBatcher(1000, 10_000, async (_id, batch) => void batches.push(parseBatch(batch)), {
      aggregate: false,
    });
    const at = (time: string, path: string) => ({ ...event(path), time });
    batcher.record(at("2026-12-06T10:00:00.000Z", "/now"));
    // A stream that began two days ago ends now.
    batcher.record(at("2026-12-04T09:00:00.000Z", "/long-stream"));
    batcher.record(at("2026-12-04T09:00:00.500Z", "/next"));
    await batcher.flush();
    expect(batches.map((b) => b.events.map((e) => [e.path, e.time]))).toEqual([
      [["/now", "2026-12-06T10:00:00.000Z"]],
      [
        ["/long-stream", "2026-12-04T09:00:00.000Z"],
        ["/next", "2026-12-04T09:00:00.500Z"],
      ],
    ]);
  });

  it("hands a batch over once it holds 1 MiB, whatever its count", async () => {
    const sizes: number[] = [];
    const counts: number[] = [];
    const batcher = new EventBatcher(
      10_000,
      10_000,
      async (_id, batch) => {
        sizes.push(batch.length);
        counts.push(parseBatch(batch).events.length);
      },
      { aggregate: false },
    );
    for (let i = 0; i < 1200; i++) batcher.record(event(`/${i}/${"x".repeat(1000)}`));
    await batcher.flush();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1200);
    expect(counts.length).toBe(2);
    expect(Math.max(...sizes)).toBeLessThan(1.1 * 1024 * 1024);
  });
});
