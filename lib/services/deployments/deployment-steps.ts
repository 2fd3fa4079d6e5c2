import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { deployments, type DeploymentStep } from "@/lib/db/schema";

export function stepOf(step: string, detail?: string): DeploymentStep {
  return { at: new Date().toISOString(), step, ...(detail ? { detail } : {}) };
}

/** Appends a progress step to a deployment: the publisher's page polls these while a job runs. */
export async function appendDeploymentStep(
  db: DbOrTx,
  deploymentId: string,
  step: string,
  detail?: string,
  set: Partial<typeof deployments.$inferInsert> = {},
): Promise<void> {
  await db
    .update(deployments)
    .set({ ...set, steps: sql`${deployments.steps} || ${JSON.stringify([stepOf(step, detail)])}::jsonb`, updatedAt: new Date() })
    .where(eq(deployments.id, deploymentId));
}
