import { and, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { isForeignKeyViolation } from "@/lib/db/errors";
import { environments, gatewayInstances } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { INSTANCE_RETENTION_MS } from "@/lib/services/environments/get-environment";
import { parseInput } from "@/lib/services/validate";

export const heartbeatSchema = z.object({
  instanceId: z
    .string()
    .trim()
    .min(1, "Give the instance an id.")
    .max(128, "Use at most 128 characters.")
    .regex(/^[\w.:@-]+$/, "Use letters, digits and . _ : @ - only."),
  region: z.string().trim().max(64, "Use at most 64 characters.").default(""),
  appliedVersion: z.coerce.number().int().min(0).max(2_147_483_647),
  appliedAt: z.coerce.date().nullable().optional(),
  /** The last snapshot the instance could not apply (agents): shown on its row until one applies. */
  lastError: z
    .object({ version: z.string().max(200).nullable(), message: z.string().max(2000), at: z.string().max(64) })
    .nullable()
    .optional(),
});
export type HeartbeatInput = z.input<typeof heartbeatSchema>;

/**
 * Records that a gateway instance is alive and which snapshot version it serves. Called by the
 * gateway sync API after verifyGatewayToken; answers the environment's current version so that
 * the instance can tell whether it is behind. `tokenId` is the named token the instance
 * authenticated with, so that the admin portal lists which instances use which token.
 */
export async function recordHeartbeat(
  environmentId: string,
  input: HeartbeatInput,
  tokenId: string | null = null,
): Promise<{ snapshotVersion: number }> {
  const values = parseInput(heartbeatSchema, input);
  const db = await getDb();
  const now = new Date();
  let inserted: boolean;
  // A gateway's clock may run ahead of the control plane's: never later than now.
  const appliedAt = values.appliedAt && values.appliedAt < now ? values.appliedAt : now;
  try {
    const [row] = await db
      .insert(gatewayInstances)
      .values({
        id: newId("gwi"),
        environmentId,
        instanceId: values.instanceId,
        region: values.region,
        appliedVersion: values.appliedVersion,
        appliedAt,
        lastError: values.lastError ?? null,
        tokenId,
        firstSeenAt: now,
        lastSeenAt: now,
      })
      .onConflictDoUpdate({
        target: [gatewayInstances.environmentId, gatewayInstances.instanceId],
        set: {
          region: values.region,
          appliedVersion: values.appliedVersion,
          // Kept while the version stays; a new version takes the time reported with it.
          appliedAt: sql`case when ${gatewayInstances.appliedVersion} = excluded.applied_version then coalesce(${gatewayInstances.appliedAt}, excluded.applied_at) else excluded.applied_at end`,
          lastError: values.lastError ?? null,
          tokenId,
          lastSeenAt: now,
        },
      })
      // xmax is 0 only for a freshly inserted row.
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    inserted = !!row?.inserted;
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new AppError("not_found", "This environment or its gateway token no longer exists.");
    throw error;
  }
  // Instances restarted under new ids leave old rows behind: a new instance is the (rare)
  // moment to forget those of its environment that have been silent past retention.
  if (inserted) {
    await db
      .delete(gatewayInstances)
      .where(
        and(
          eq(gatewayInstances.environmentId, environmentId),
          lt(gatewayInstances.lastSeenAt, new Date(now.getTime() - INSTANCE_RETENTION_MS)),
        ),
      );
  }
  const [env] = await db
    .select({ snapshotVersion: environments.snapshotVersion })
    .from(environments)
    .where(eq(environments.id, environmentId))
    .limit(1);
  return { snapshotVersion: env?.snapshotVersion ?? 0 };
}
