import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/optional-tables";
import type { AnalyticsEvent } from "@/lib/domain/gateway/snapshot";

/** Seeding helpers for the analytics tests: every test works in its own environment name. */
export function uniqueEnvironment(): { id: string; name: string } {
  const suffix = randomBytes(4).toString("hex");
  return { id: `env_an${suffix}`, name: `an-${suffix}` };
}

export function event(environment: string, overrides: Partial<AnalyticsEvent> = {}): AnalyticsEvent {
  return {
    id: randomUUID(),
    time: new Date().toISOString(),
    environment,
    instanceId: "gw-test-1",
    region: "eu-west-1",
    apiId: "api_test",
    operation: "GET /pets",
    applicationId: "app_test",
    keyType: "production",
    method: "GET",
    path: "/pets",
    status: 200,
    latencyMs: 10,
    upstreamLatencyMs: 8,
    requestBytes: 100,
    responseBytes: 1000,
    ...overrides,
  };
}

export function batchOf(events: AnalyticsEvent[]) {
  return { batchId: randomUUID(), events };
}

/** Roll-up rows of one environment, in a stable order and with numbers as numbers. */
type RollupTable = `analytics_rollups_${"minute" | "hour" | "day" | "week"}` | `analytics_env_rollups_${"minute" | "hour" | "day"}`;

export async function rollupRows(table: RollupTable, environment: string) {
  const db = await getDb();
  const order = table.startsWith("analytics_env_")
    ? "bucket, region, status_class"
    : "bucket, api_id, operation, application_id, status_class, region";
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select * from ${sql.raw(table)} where environment = ${environment} order by ${sql.raw(order)}`),
  );
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        k === "bucket"
          ? new Date(v as string).toISOString()
          : typeof v === "string" &&
              /^-?\d+(\.\d+)?$/.test(v) &&
              !["environment", "region", "api_id", "operation", "application_id"].includes(k)
            ? Number(v)
            : v,
      ]),
    ),
  );
}

export async function storedCounts(environment: string, batchId?: string): Promise<{ events: number; batches: number }> {
  const db = await getDb();
  const [e] = rowsOf<{ n: string | number }>(
    await db.execute(sql`select count(*) as n from analytics_events where environment = ${environment}`),
  );
  const [b] = batchId
    ? rowsOf<{ n: string | number }>(await db.execute(sql`select count(*) as n from analytics_batches where batch_id = ${batchId}::uuid`))
    : [{ n: 0 }];
  return { events: Number(e.n), batches: Number(b.n) };
}
