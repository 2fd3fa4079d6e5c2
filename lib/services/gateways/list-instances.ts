import { and, desc, eq, gt } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { gatewayInstances } from "@/lib/db/schema";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getEnvironmentRowOrThrow, INSTANCE_RETENTION_MS } from "@/lib/services/environments/get-environment";
import { isInstanceHealthy } from "@/lib/services/environments/health";

export const MAX_INSTANCES_LISTED = 200;

export interface GatewayInstanceView {
  instanceId: string;
  region: string;
  appliedVersion: number;
  /** True when the instance serves the environment's current snapshot. */
  upToDate: boolean;
  status: "healthy" | "stale";
  firstSeenAt: string;
  lastSeenAt: string;
  /** As of the listing, so that a view need not read the clock. */
  lastSeenSecondsAgo: number;
  /** The last snapshot the instance could not apply, and why (agents whose gateway refused a configuration). */
  lastError: { version: string | null; message: string; at: string } | null;
}

export interface GatewayInstances {
  environment: string;
  snapshotVersion: number;
  items: GatewayInstanceView[];
}

/** The instances that sent heartbeats within the retention window, most recent first. */
export async function listGatewayInstances(name: string, ctx: ServiceContext, now = new Date()): Promise<GatewayInstances> {
  assertCan(ctx, "environments:read");
  const env = await getEnvironmentRowOrThrow(name);
  const db = await getDb();
  const rows = await db
    .select()
    .from(gatewayInstances)
    .where(
      and(eq(gatewayInstances.environmentId, env.id), gt(gatewayInstances.lastSeenAt, new Date(now.getTime() - INSTANCE_RETENTION_MS))),
    )
    .orderBy(desc(gatewayInstances.lastSeenAt))
    .limit(MAX_INSTANCES_LISTED);
  return {
    environment: env.name,
    snapshotVersion: env.snapshotVersion,
    items: rows.map((r) => ({
      instanceId: r.instanceId,
      region: r.region,
      appliedVersion: r.appliedVersion,
      upToDate: r.appliedVersion >= env.snapshotVersion,
      status: isInstanceHealthy(r.lastSeenAt, now) ? "healthy" : "stale",
      firstSeenAt: r.firstSeenAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
      lastSeenSecondsAgo: Math.max(0, Math.round((now.getTime() - r.lastSeenAt.getTime()) / 1000)),
      lastError: r.lastError ?? null,
    })),
  };
}
