import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { deployments } from "@/lib/db/schema";

/** True when Meridian itself serves the API on at least one environment (so it enforces Meridian's credentials there). */
export async function isDeployedByMeridian(db: DbOrTx, apiId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: deployments.id })
    .from(deployments)
    .where(and(eq(deployments.apiId, apiId), eq(deployments.status, "deployed")))
    .limit(1);
  return !!row;
}
