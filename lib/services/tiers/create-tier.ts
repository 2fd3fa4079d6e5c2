import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { rateLimitPolicies } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { bumpSnapshotVersions } from "@/lib/services/snapshots/bump-snapshot-versions";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { parseInput } from "@/lib/services/validate";
import { KIND_LABELS } from "./list-tiers";
import { createTierSchema, tierLimitErrors, type PolicyKind } from "./schemas";
import { toTierView, type TierView } from "./tier-dto";

export function tierNameTaken(kind: PolicyKind, name: string): AppError {
  const message = `A ${KIND_LABELS[kind].toLowerCase()} named "${name}" already exists (names ignore letter case).`;
  return new AppError("validation_failed", message, { fieldErrors: { name: message } });
}

export function invalidTier(fieldErrors: Record<string, string>): AppError {
  const [path, message] = Object.entries(fieldErrors)[0];
  return new AppError("validation_failed", `${path}: ${message}`, { fieldErrors });
}

export async function createTier(input: unknown, ctx: ServiceContext): Promise<TierView> {
  assertCan(ctx, "tiers:write");
  const v = parseInput(createTierSchema, input);
  const limits = {
    unlimited: v.unlimited,
    requests: v.requests ?? null,
    unit: v.unit ?? null,
    burst: v.burst ?? null,
    monthlyQuota: v.monthlyQuota ?? null,
  };
  const errors = tierLimitErrors(limits);
  if (Object.keys(errors).length) throw invalidTier(errors);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(rateLimitPolicies)
        .values({
          id: newId(v.kind === "subscription" ? "tier" : "pol"),
          kind: v.kind,
          name: v.name,
          displayName: v.displayName || v.name,
          description: v.description,
          ...limits,
        })
        .returning();
      // Gateways enforce tiers from their snapshot: every environment must serve the change.
      await bumpSnapshotVersions(tx);
      await writeAudit(tx, ctx, {
        action: "tier.create",
        objectType: "tier",
        objectId: row.id,
        details: { kind: row.kind, name: row.name, limits: toTierView(row).summary },
      });
      return toTierView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw tierNameTaken(v.kind, v.name);
    throw error;
  }
}
