import type { DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { listTierNames } from "@/lib/services/tiers/list-tiers";

/**
 * An API's allowed tiers name subscription tiers that exist (names ignore letter case, as the
 * tiers feature does); they are stored with the tier's own spelling.
 */
export async function resolveTierNames(names: string[], tx?: DbOrTx): Promise<string[]> {
  if (names.length === 0) return names;
  const known = await listTierNames("subscription", tx);
  const byLower = new Map(known.map((n) => [n.toLowerCase(), n]));
  const unknown = names.filter((n) => !byLower.has(n.toLowerCase()));
  if (unknown.length) {
    const message = known.length
      ? `Unknown subscription tier${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Known tiers: ${known.join(", ")}.`
      : "No subscription tiers exist yet: an admin creates them in the admin portal.";
    throw new AppError("validation_failed", message, { fieldErrors: { allowedTiers: message } });
  }
  return [...new Set(names.map((n) => byLower.get(n.toLowerCase())!))];
}
