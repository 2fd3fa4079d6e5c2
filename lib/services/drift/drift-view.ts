import { and, count, eq, inArray, sql } from "drizzle-orm";
import { getConnector } from "@/lib/connectors/registry";
import { CONNECTOR_TYPES } from "@/lib/connectors/types";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/lib/db/client";
import { apiRevisions, apis, deploymentDrift, deployments, environments, type DriftState } from "@/lib/db/schema";
import type { TextDiff } from "@/lib/domain/openapi/diff";

export interface DriftView {
  deploymentId: string;
  apiId: string;
  apiName: string;
  apiVersion: string;
  environment: string;
  environmentName: string;
  environmentType: string;
  /** unknown: never checked (or the gateway cannot be read for drift). */
  state: DriftState;
  /** Three ways: the revision asked for, the one Meridian last applied, and what runs (the diff). */
  desiredRevision: number;
  appliedRevision: number | null;
  appliedAt: string | null;
  checkedAt: string | null;
  reason: string | null;
  checkError: string | null;
  diff: TextDiff | null;
  /** Whether what runs can become a new revision (it exists and carries an OpenAPI export). */
  canAdopt: boolean;
}

export interface DriftCounts {
  inSync: number;
  drifted: number;
  missing: number;
  unchecked: number;
}

/** Drift views of deployments chosen by a condition, newest change first; bounded by `limit`. */
export async function driftViews(db: DbOrTx, where: ReturnType<typeof and>, limit = 200): Promise<DriftView[]> {
  const desired = alias(apiRevisions, "desired_revision");
  const applied = alias(apiRevisions, "applied_revision");
  const rows = await db
    .select({
      d: { id: deployments.id, apiId: deployments.apiId },
      api: { name: apis.name, version: apis.version },
      env: { name: environments.name, displayName: environments.displayName, type: environments.type },
      desired: desired.number,
      applied: applied.number,
      drift: deploymentDrift,
    })
    .from(deployments)
    .innerJoin(apis, eq(apis.id, deployments.apiId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .innerJoin(desired, eq(desired.id, deployments.revisionId))
    .leftJoin(deploymentDrift, eq(deploymentDrift.deploymentId, deployments.id))
    .leftJoin(applied, eq(applied.id, deploymentDrift.appliedRevisionId))
    .where(where)
    .orderBy(deployments.updatedAt)
    .limit(limit);
  return rows.map((r) => ({
    deploymentId: r.d.id,
    apiId: r.d.apiId,
    apiName: r.api.name,
    apiVersion: r.api.version,
    environment: r.env.name,
    environmentName: r.env.displayName,
    environmentType: r.env.type,
    state: r.drift?.state ?? "unknown",
    desiredRevision: r.desired,
    appliedRevision: r.applied ?? null,
    appliedAt: r.drift?.appliedAt.toISOString() ?? null,
    checkedAt: r.drift?.checkedAt?.toISOString() ?? null,
    reason: r.drift?.reason ?? null,
    checkError: r.drift?.checkError ?? null,
    diff: r.drift?.diff ?? null,
    canAdopt: r.drift?.state === "drifted" && (r.drift.liveArtifacts ?? []).some((a) => a.kind === "openapi"),
  }));
}

/**
 * In sync, drifted, missing and unchecked push deployments, for one environment or all.
 * Unchecked counts deployments on gateways that can be read back but have no check yet.
 */
export async function driftCounts(db: DbOrTx, environmentIds?: string[]): Promise<DriftCounts> {
  const readable = CONNECTOR_TYPES.filter((t) => canRead(t));
  const state = sql<string>`coalesce(${deploymentDrift.state}, 'unknown')`;
  const rows = await db
    .select({ state, n: count() })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .leftJoin(deploymentDrift, eq(deploymentDrift.deploymentId, deployments.id))
    .where(
      and(
        inArray(deployments.status, ["deployed", "drifted"]),
        inArray(environments.type, readable.length ? readable : ["-"]),
        environmentIds ? inArray(deployments.environmentId, environmentIds.length ? environmentIds : ["-"]) : undefined,
      ),
    )
    .groupBy(state);
  const n = (s: DriftState) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  return { inSync: n("in_sync"), drifted: n("drifted"), missing: n("missing"), unchecked: n("unknown") };
}

function canRead(type: string): boolean {
  try {
    return typeof getConnector(type).readLive === "function";
  } catch {
    return false;
  }
}
