import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rateLimitPolicies } from "@/lib/db/schema";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { invalidTier } from "./create-tier";
import { getTierRowOrThrow } from "./list-tiers";
import { tierLimitErrors, updateTierSchema, type PolicyKind, type RateUnit, type TierLimits } from "./schemas";
import { toTierView, type TierView } from "./tier-dto";

const LIMIT_FIELDS = ["requests", "unit", "burst", "monthlyQuota"] as const;

/** Changes a tier's limits and labels; its kind and name never change. */
export async function updateTier(kind: PolicyKind, name: string, input: unknown, ctx: ServiceContext): Promise<TierView> {
  assertCan(ctx, "tiers:write");
  const patch = parseInput(updateTierSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const current = await getTierRowOrThrow(kind, name, tx);
    const errors: Record<string, string> = {};
    if (patch.name !== undefined && patch.name !== current.name)
      errors.name = "A tier's name cannot change: other objects refer to it. Create a new tier instead.";
    if (patch.kind !== undefined && patch.kind !== current.kind) errors.kind = "A tier's kind cannot change.";

    const limits: TierLimits = {
      unlimited: current.unlimited,
      requests: current.requests,
      unit: current.unit as RateUnit | null,
      burst: current.burst,
      monthlyQuota: current.monthlyQuota,
    };
    if (patch.unlimited !== undefined) {
      // Switching to unlimited drops the limits the request does not mention.
      if (patch.unlimited && !current.unlimited) for (const f of LIMIT_FIELDS) if (patch[f] === undefined) limits[f] = null;
      limits.unlimited = patch.unlimited;
    }
    for (const f of LIMIT_FIELDS) if (patch[f] !== undefined) Object.assign(limits, { [f]: patch[f] });
    Object.assign(errors, tierLimitErrors(limits));
    if (Object.keys(errors).length) throw invalidTier(errors);

    const [row] = await tx
      .update(rateLimitPolicies)
      .set({
        ...limits,
        ...(patch.displayName !== undefined ? { displayName: patch.displayName || current.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
      })
      .where(eq(rateLimitPolicies.id, current.id))
      .returning();
    // Gateways enforce tiers from their snapshot: every environment must serve the change.
    await bumpSnapshotVersions(tx);
    await writeAudit(tx, ctx, {
      action: "tier.update",
      objectType: "tier",
      objectId: row.id,
      details: { kind, name, limits: toTierView(row).summary },
    });
    return toTierView(row);
  });
}
