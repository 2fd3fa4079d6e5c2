import { count, eq } from "drizzle-orm";
import { Gauge, Registry } from "prom-client";
import { getDb } from "@/lib/db/client";
import { deploymentDrift, deployments, environments } from "@/lib/db/schema";
import { assertCan, type ServiceContext } from "@/lib/services/context";

/**
 * Drift as Prometheus metrics, for alerting: `meridian_deployments_drift{environment,state}`
 * counts push deployments per drift state (in_sync, drifted, missing, unknown). A fresh
 * registry per scrape: the numbers come from the database, shared by every replica.
 */
export async function driftMetrics(ctx: ServiceContext): Promise<{ contentType: string; body: string }> {
  assertCan(ctx, "environments:read");
  const db = await getDb();
  const rows = await db
    .select({ env: environments.name, state: deploymentDrift.state, n: count() })
    .from(deploymentDrift)
    .innerJoin(deployments, eq(deployments.id, deploymentDrift.deploymentId))
    .innerJoin(environments, eq(environments.id, deploymentDrift.environmentId))
    .groupBy(environments.name, deploymentDrift.state)
    .limit(10_000);
  const registry = new Registry();
  const gauge = new Gauge({
    name: "meridian_deployments_drift",
    help: "Push deployments by drift state: in_sync, drifted, missing, unknown.",
    labelNames: ["environment", "state"] as const,
    registers: [registry],
  });
  const envs = new Set(rows.map((r) => r.env));
  for (const env of envs) for (const state of ["in_sync", "drifted", "missing", "unknown"]) gauge.set({ environment: env, state }, 0);
  for (const r of rows) gauge.set({ environment: r.env, state: r.state }, Number(r.n));
  return { contentType: registry.contentType, body: await registry.metrics() };
}
