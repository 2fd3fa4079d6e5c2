import { and, count, eq, ne } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { deployments, subscriptions } from "@/lib/db/schema";

/**
 * What other features know about an API, asked in one place: deployments (the deployment
 * engine's rows) and subscriptions. A deployment counts until it is undeployed.
 */

/** Gateway environments the API is deployed to, or being deployed to or from. */
export async function countDeployments(db: DbOrTx, apiId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(deployments)
    .where(and(eq(deployments.apiId, apiId), ne(deployments.status, "undeployed")));
  return row.n;
}

/** Active subscriptions to the API. */
export async function countActiveSubscriptions(db: DbOrTx, apiId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(subscriptions)
    .where(and(eq(subscriptions.apiId, apiId), eq(subscriptions.status, "active")));
  return row.n;
}

/** Whether any gateway environment serves (or is being given) this revision. */
export async function isRevisionDeployed(db: DbOrTx, revisionId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(deployments)
    .where(and(eq(deployments.revisionId, revisionId), ne(deployments.status, "undeployed")));
  return row.n > 0;
}

/** Revisions of the API deployed anywhere (for the publishing precondition). */
export async function countDeployedRevisions(db: DbOrTx, apiId: string): Promise<number> {
  return countDeployments(db, apiId);
}

/**
 * Removes what other features keep about an API that is being deleted and no longer matters:
 * undeployed deployment records and subscriptions that are not active (pending, blocked,
 * rejected). The caller has checked that nothing is deployed or actively subscribed.
 */
export async function removeInactiveUsage(db: DbOrTx, apiId: string): Promise<void> {
  await db.delete(deployments).where(eq(deployments.apiId, apiId));
  await db.delete(subscriptions).where(eq(subscriptions.apiId, apiId));
}
