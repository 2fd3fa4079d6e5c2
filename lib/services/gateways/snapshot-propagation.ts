import { and, eq, gt } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { gatewayInstances } from "@/lib/db/schema";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getEnvironmentRowOrThrow } from "@/lib/services/environments/get-environment";
import { isInstanceHealthy } from "@/lib/services/environments/health";
import { GATEWAY_STALE_AFTER_MS } from "@/lib/connectors/heartbeat";
import { snapshotCache } from "@/lib/services/snapshots/snapshot-cache";

export interface SnapshotPropagation {
  environment: string;
  snapshotVersion: number;
  /** When the version last changed (null before any change). */
  changedAt: string | null;
  /** Healthy instances per version they serve, newest version first. */
  versions: { version: number; instances: number }[];
  /** Healthy instances, and how many of them serve the current version. */
  healthy: number;
  current: number;
  /**
   * How long the last change took to reach every healthy instance (from the version change to
   * the last instance applying it, by the instances' own reports); null while some are behind.
   */
  reachedAllMs: number | null;
  /** The current snapshot's size on the wire, whole and gzipped (bytes). */
  snapshotBytes: number;
  gzipBytes: number;
}

/** Which healthy instances serve which version, and how fast the last change reached them all. */
export async function getSnapshotPropagation(name: string, ctx: ServiceContext, now = new Date()): Promise<SnapshotPropagation> {
  assertCan(ctx, "environments:read");
  const env = await getEnvironmentRowOrThrow(name);
  const db = await getDb();
  const rows = await db
    .select({
      appliedVersion: gatewayInstances.appliedVersion,
      appliedAt: gatewayInstances.appliedAt,
      lastSeenAt: gatewayInstances.lastSeenAt,
    })
    .from(gatewayInstances)
    .where(
      and(eq(gatewayInstances.environmentId, env.id), gt(gatewayInstances.lastSeenAt, new Date(now.getTime() - GATEWAY_STALE_AFTER_MS))),
    );
  const healthy = rows.filter((r) => isInstanceHealthy(r.lastSeenAt, now));
  const byVersion = new Map<number, number>();
  for (const r of healthy) byVersion.set(r.appliedVersion, (byVersion.get(r.appliedVersion) ?? 0) + 1);
  const current = healthy.filter((r) => r.appliedVersion >= env.snapshotVersion);
  let reachedAllMs: number | null = null;
  if (env.snapshotChangedAt && healthy.length > 0 && current.length === healthy.length) {
    const last = Math.max(...current.map((r) => (r.appliedAt ?? r.lastSeenAt).getTime()));
    reachedAllMs = Math.max(0, last - env.snapshotChangedAt.getTime());
  }
  const built = await snapshotCache.current(env.id, String(env.snapshotVersion));
  return {
    environment: env.name,
    snapshotVersion: env.snapshotVersion,
    changedAt: env.snapshotChangedAt?.toISOString() ?? null,
    versions: [...byVersion].sort((a, b) => b[0] - a[0]).map(([version, instances]) => ({ version, instances })),
    healthy: healthy.length,
    current: current.length,
    reachedAllMs,
    snapshotBytes: Buffer.byteLength(built.full.json),
    gzipBytes: built.full.gzip().length,
  };
}
