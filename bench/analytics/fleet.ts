import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { EventBatcher } from "@/lib/domain/gateway/sync/event-shipper";
import { eventGroupJson } from "@/lib/domain/gateway/sync/event-json";
import { closeDb, getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import { ingestEvents } from "@/lib/services/analytics/ingest-events";
import { rollUpEvents } from "@/lib/services/analytics/roll-up-events";

/**
 * Ingest of a fleet's per-minute aggregates: `gateways` gateways each send the batch of one
 * minute, as the built-in gateway writes it (aggregates plus a 1% sample of successes and every
 * error), through the control plane's ingest service in this process (the route only parses the
 * JSON first, which is measured too), `senders` at a time. Then the worker's roll-up of them
 * all. CPU is this process's (ingest and roll-up both run here), so it is the control plane's
 * cost per gateway-minute; the database's own CPU is extra on PostgreSQL and included on the
 * embedded one.
 */

export interface FleetResult {
  database: string;
  gateways: number;
  rowsPerBatch: number;
  eventsPerBatch: number;
  requestsPerBatch: number;
  ingestSeconds: number;
  batchesPerSecond: number;
  batchP50Ms: number;
  batchP99Ms: number;
  ingestCpuSeconds: number;
  rollUpSeconds: number;
  rollUpCpuSeconds: number;
  requestsCounted: number;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];

/** One gateway's minute: `requests` calls over 20 APIs × 2 operations × 25 applications, 4% errors. */
async function minuteBatch(environment: string, gateway: number, requests: number, minute: number): Promise<string> {
  let body = "";
  const batcher = new EventBatcher(10_000, 600_000, async (_id, b) => void (body = Buffer.from(b).toString("utf8")), {
    successSample: 0.01,
  });
  for (let i = 0; i < requests; i++) {
    const group = eventGroupJson({
      environment,
      instanceId: `gw-${gateway}`,
      region: gateway % 2 ? "eu-west-1" : "us-east-1",
      apiId: `api_fleet_${(i * 7 + gateway) % 20}`,
      operation: i % 2 ? "GET /items/{id}" : "POST /items",
      applicationId: `app_fleet_${(i * 13 + gateway) % 25}`,
      keyType: "production",
      method: i % 2 ? "GET" : "POST",
    });
    const status = i % 50 === 0 ? 500 : i % 30 === 0 ? 429 : 200;
    batcher.recordRequest(
      group,
      minute + (i * 60_000) / requests,
      `/items/${i}`,
      status,
      1 + (i % 97) * 0.7,
      (i % 97) * 0.6,
      200,
      1500,
      undefined,
    );
  }
  await batcher.flush();
  return body;
}

export async function benchFleet(
  label: string,
  environment: { id: string; name: string },
  gateways: number,
  senders: number,
): Promise<FleetResult> {
  const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const requestsPerGateway = 12_000;
  const bodies = await Promise.all(Array.from({ length: 8 }, (_, i) => minuteBatch(environment.name, i, requestsPerGateway, minute)));
  const sample = JSON.parse(bodies[0]);
  const db = await getDb();
  // Roll up anything left from earlier runs first, so that the measured roll-up is this fleet's.
  await rollUpEvents({ maxTransactions: 1_000 });
  const [before] = rowsOf<{ n: string | null }>(
    await db.execute(sql`select sum(requests) as n from analytics_rollups_minute where environment = ${environment.name}`),
  );
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < gateways) {
        const i = next++;
        const started = performance.now();
        const text = bodies[i % bodies.length].replace(/^\{"batchId":"[^"]+"/, `{"batchId":"${randomUUID()}"`);
        const result = await ingestEvents(environment, JSON.parse(text));
        if (result.duplicate) throw new Error("A fresh batch id was taken for a duplicate.");
        latencies.push(performance.now() - started);
      }
    }),
  );
  const ingestSeconds = (performance.now() - t0) / 1000;
  const ingestCpu = process.cpuUsage(cpu0);
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  await rollUpEvents({ maxTransactions: 1_000 });
  const rollUpSeconds = (performance.now() - t1) / 1000;
  const rollUpCpu = process.cpuUsage(cpu1);
  const [after] = rowsOf<{ n: string | null }>(
    await db.execute(sql`select sum(requests) as n from analytics_rollups_minute where environment = ${environment.name}`),
  );
  await closeDb();
  return {
    database: label,
    gateways,
    rowsPerBatch: sample.aggregates.length,
    eventsPerBatch: sample.events.length,
    requestsPerBatch: requestsPerGateway,
    ingestSeconds: Number(ingestSeconds.toFixed(2)),
    batchesPerSecond: Math.round(gateways / ingestSeconds),
    batchP50Ms: Math.round(quantile(latencies, 0.5)),
    batchP99Ms: Math.round(quantile(latencies, 0.99)),
    ingestCpuSeconds: Number(((ingestCpu.user + ingestCpu.system) / 1e6).toFixed(2)),
    rollUpSeconds: Number(rollUpSeconds.toFixed(2)),
    rollUpCpuSeconds: Number(((rollUpCpu.user + rollUpCpu.system) / 1e6).toFixed(2)),
    requestsCounted: Number(after.n ?? 0) - Number(before.n ?? 0),
  };
}
