import { and, eq, inArray, isNull, notInArray, or } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { deployments, environments, jobs, subscriptions } from "@/lib/db/schema";
import { enqueueJob } from "@/lib/jobs/queue";
import { listDescriptors } from "@/lib/connectors/descriptors";
import { PULL_TYPES } from "./deployment-input";

export const KEY_SYNC_JOB = "deployment.sync-keys";

/**
 * Queues a key sync for every live push deployment of the given APIs (or of the APIs the given
 * application subscribes to): the job installs and removes Meridian-issued keys on gateways
 * that check keys themselves. A sync already waiting in the queue covers a later change too.
 */
export async function requestKeySync(tx: DbOrTx, target: { apiIds?: string[]; applicationId?: string }): Promise<number> {
  let apiIds = target.apiIds ?? [];
  if (target.applicationId) {
    const subs = await tx
      .select({ apiId: subscriptions.apiId })
      .from(subscriptions)
      .where(eq(subscriptions.applicationId, target.applicationId));
    apiIds = [...apiIds, ...subs.map((s) => s.apiId)];
  }
  if (apiIds.length === 0) return 0;
  const rows = await tx
    .select({ id: deployments.id })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(
      and(
        inArray(deployments.apiId, [...new Set(apiIds)]),
        eq(deployments.status, "deployed"),
        notInArray(environments.type, [...PULL_TYPES]),
      ),
    );
  let queued = 0;
  for (const { id } of rows) {
    const key = `keys:${id}`;
    const [waiting] = await tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.concurrencyKey, key), eq(jobs.status, "queued"), or(isNull(jobs.lockedBy), eq(jobs.attempts, 0))))
      .limit(1);
    if (waiting) continue;
    await enqueueJob(tx, { kind: KEY_SYNC_JOB, payload: { deploymentId: id }, concurrencyKey: key });
    queued++;
  }
  return queued;
}

/**
 * After a signing-key rotation: a key sync for every live deployment on gateways that keep the
 * key manager's public key in per-application credentials (Kong's jwt_secrets).
 */
export async function requestJwtCredentialSync(tx: DbOrTx): Promise<number> {
  const types = listDescriptors()
    .filter((d) => d.capabilities.jwtCredentials)
    .map((d) => d.type);
  if (!types.length) return 0;
  const rows = await tx
    .selectDistinct({ apiId: deployments.apiId })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(and(eq(deployments.status, "deployed"), inArray(environments.type, types)));
  return requestKeySync(tx, { apiIds: rows.map((r) => r.apiId) });
}
