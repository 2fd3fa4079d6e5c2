import { and, asc, count, eq, gt, inArray, sql } from "drizzle-orm";
import { DESCRIPTORS } from "@/lib/connectors/descriptors";
import { GATEWAY_STALE_AFTER_MS } from "@/lib/connectors/heartbeat";
import type { ConnectorType } from "@/lib/connectors/types";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { environments, gatewayInstances, type Environment } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { toEnvironmentSummary, toEnvironmentView, type EnvironmentSummary, type EnvironmentView } from "./environment-dto";
import { environmentHealth, type InstanceCounts } from "./health";

/** Instances unseen for longer than this are no longer listed (and are pruned on the next new instance). */
export const INSTANCE_RETENTION_MS = 24 * 3600_000;
export const MAX_ENVIRONMENTS = 500;

export async function getEnvironmentRowOrThrow(name: string, tx?: DbOrTx): Promise<Environment> {
  const db = tx ?? (await getDb());
  const [row] = await db.select().from(environments).where(eq(environments.name, name)).limit(1);
  if (!row) throw new AppError("not_found", `No environment named "${name}".`);
  return row;
}

async function instanceCounts(ids: string[], now = new Date()): Promise<Map<string, InstanceCounts>> {
  const out = new Map<string, InstanceCounts>();
  if (ids.length === 0) return out;
  const db = await getDb();
  const healthySince = new Date(now.getTime() - GATEWAY_STALE_AFTER_MS);
  const rows = await db
    .select({
      environmentId: gatewayInstances.environmentId,
      total: count(),
      healthy: sql<number>`count(*) filter (where ${gatewayInstances.lastSeenAt} >= ${healthySince.toISOString()})`.mapWith(Number),
    })
    .from(gatewayInstances)
    .where(
      and(inArray(gatewayInstances.environmentId, ids), gt(gatewayInstances.lastSeenAt, new Date(now.getTime() - INSTANCE_RETENTION_MS))),
    )
    .groupBy(gatewayInstances.environmentId);
  for (const r of rows) out.set(r.environmentId, { healthy: r.healthy, total: r.total });
  return out;
}

function withHealth(row: Environment, counts: Map<string, InstanceCounts>): EnvironmentView {
  const descriptor = DESCRIPTORS[row.type as ConnectorType];
  const health = descriptor
    ? environmentHealth(descriptor, counts.get(row.id) ?? { healthy: 0, total: 0 }, {
        at: row.lastTestAt,
        ok: row.lastTestOk,
        message: row.lastTestMessage,
      })
    : undefined;
  return toEnvironmentView(row, health);
}

/** Admins: every environment with its masked config and health. */
export async function listEnvironments(ctx: ServiceContext): Promise<EnvironmentView[]> {
  assertCan(ctx, "environments:write");
  const db = await getDb();
  const rows = await db.select().from(environments).orderBy(asc(environments.name)).limit(MAX_ENVIRONMENTS);
  const counts = await instanceCounts(rows.map((r) => r.id));
  return rows.map((r) => withHealth(r, counts));
}

/** Anyone who may read environments (publishers choose deployment targets): no config. */
export async function listEnvironmentSummaries(ctx: ServiceContext): Promise<EnvironmentSummary[]> {
  assertCan(ctx, "environments:read");
  const db = await getDb();
  const rows = await db.select().from(environments).orderBy(asc(environments.name)).limit(MAX_ENVIRONMENTS);
  return rows.map(toEnvironmentSummary);
}

export async function getEnvironment(name: string, ctx: ServiceContext): Promise<EnvironmentView> {
  assertCan(ctx, "environments:write");
  const row = await getEnvironmentRowOrThrow(name);
  return withHealth(row, await instanceCounts([row.id]));
}

export async function getEnvironmentSummary(name: string, ctx: ServiceContext): Promise<EnvironmentSummary> {
  assertCan(ctx, "environments:read");
  return toEnvironmentSummary(await getEnvironmentRowOrThrow(name));
}
