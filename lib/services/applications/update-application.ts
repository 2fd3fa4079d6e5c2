import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { applications } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import type { ServiceContext } from "@/lib/services/context";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { parseInput } from "@/lib/services/validate";
import { toApplicationView, type ApplicationView } from "./application-dto";
import { assertApplicationPolicy } from "./application-policy";
import { getOwnedApplicationOrThrow } from "./get-application";
import { applicationPatchSchema } from "./schemas";

/** Renames, describes or changes the policy of one of the caller's applications. */
export async function updateApplication(id: string, input: unknown, ctx: ServiceContext): Promise<ApplicationView> {
  const values = parseInput(applicationPatchSchema, input);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const app = await getOwnedApplicationOrThrow(id, ctx, tx);
      const patch: Partial<typeof applications.$inferInsert> = {};
      if (values.name !== undefined) patch.name = values.name;
      if (values.description !== undefined) patch.description = values.description;
      if (values.policy !== undefined) {
        await assertApplicationPolicy(tx, values.policy);
        patch.policy = values.policy || null;
      }
      if (Object.keys(patch).length === 0) return toApplicationView(app);
      const [updated] = await tx.update(applications).set(patch).where(eq(applications.id, app.id)).returning();
      // Gateways enforce the application policy: they must hear of a change.
      if (patch.policy !== undefined && patch.policy !== app.policy) await bumpSnapshotVersions(tx);
      await writeAudit(tx, ctx, {
        action: "application.update",
        objectType: "application",
        objectId: app.id,
        details: { changed: Object.keys(patch) },
      });
      return toApplicationView(updated);
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", "You already have an application with this name.", {
        fieldErrors: { name: "You already have an application with this name." },
      });
    throw error;
  }
}
