import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { optionalTableColumns, rowsOf } from "@/lib/db/optional-tables";

/**
 * The deployment engine owns the `deployments` table. These checks query it only when it has
 * the columns they need, so that environments work whichever feature lands first; the engine
 * may replace them with typed queries.
 */
async function deploymentColumns(tx: DbOrTx): Promise<{ present: boolean; hasStatus: boolean }> {
  const columns = await optionalTableColumns(tx, "deployments");
  return { present: columns.has("environment_id"), hasStatus: columns.has("status") };
}

/** How many deployments name this environment and are not undeployed: while any does, it cannot be deleted. */
export async function countDeploymentsIn(environmentId: string, tx: DbOrTx): Promise<number> {
  const { present, hasStatus } = await deploymentColumns(tx);
  if (!present) return 0;
  const live = hasStatus ? sql`and status <> 'undeployed'` : sql``;
  const rows = rowsOf<{ n: number | string }>(
    await tx.execute(sql`select count(*) as n from deployments where environment_id = ${environmentId} ${live}`),
  );
  return Number(rows[0]?.n ?? 0);
}

/** Deletes the records of deployments that were undone, so that the environment itself can go. */
export async function forgetUndeployedIn(environmentId: string, tx: DbOrTx): Promise<void> {
  const { present, hasStatus } = await deploymentColumns(tx);
  if (present && hasStatus)
    await tx.execute(sql`delete from deployments where environment_id = ${environmentId} and status = 'undeployed'`);
}
