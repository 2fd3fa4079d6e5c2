import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rateLimitPolicies } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { findTierUsages } from "./find-tier-usages";
import { getTierRowOrThrow, KIND_LABELS } from "./list-tiers";
import type { PolicyKind } from "./schemas";

/** Deletes a tier or policy; refused (409, with the list) while anything uses it. */
export async function deleteTier(kind: PolicyKind, name: string, ctx: ServiceContext): Promise<void> {
  assertCan(ctx, "tiers:write");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const current = await getTierRowOrThrow(kind, name, tx);
    const usages = await findTierUsages(current.name, kind, tx);
    if (usages.length > 0) {
      const shown = usages.slice(0, 5).map((u) => (u.type === "api" ? `API ${u.label}` : u.label));
      const more = usages.length > shown.length ? ` and ${usages.length - shown.length} more` : "";
      throw new AppError(
        "conflict",
        `${KIND_LABELS[kind]} "${current.name}" is in use by ${shown.join(", ")}${more}. Remove it from them first.`,
        { extra: { usages } },
      );
    }
    await tx.delete(rateLimitPolicies).where(eq(rateLimitPolicies.id, current.id));
    // Gateways enforce tiers from their snapshot: every environment must serve the change.
    await bumpSnapshotVersions(tx);
    await writeAudit(tx, ctx, { action: "tier.delete", objectType: "tier", objectId: current.id, details: { kind, name: current.name } });
  });
}
