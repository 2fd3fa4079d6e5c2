/**
 * Which subscription tiers an API offers. The publisher's "allowed tiers" narrow the choice; an
 * empty list allows every tier that exists. A name the publisher allowed whose tier was deleted
 * since is not on offer (gateways would not know it). Names compare without letter case, as the
 * tiers feature does.
 *
 * Pure, and the only place this rule lives: the catalog, subscribing, the REST API, the plans
 * of push gateways (usage plans, products) and the snapshot of pull gateways all ask it.
 */
export function offeredTiers<T extends { name: string }>(allowed: readonly string[], existing: readonly T[]): T[] {
  if (allowed.length === 0) return [...existing];
  const byLower = new Map(existing.map((t) => [t.name.toLowerCase(), t]));
  const seen = new Set<string>();
  const out: T[] = [];
  // The publisher's order: the first tier they list is the one the portal offers first.
  for (const name of allowed) {
    const tier = byLower.get(name.toLowerCase());
    if (!tier || seen.has(tier.name)) continue;
    seen.add(tier.name);
    out.push(tier);
  }
  return out;
}

/** The offered tier that `name` designates (any letter case), or null when the API does not offer it. */
export function findOfferedTier<T extends { name: string }>(allowed: readonly string[], existing: readonly T[], name: string): T | null {
  const lower = name.toLowerCase();
  return offeredTiers(allowed, existing).find((t) => t.name.toLowerCase() === lower) ?? null;
}

/** True when an API with these allowed tiers takes subscriptions on tier `name`. */
export function offersTier(allowed: readonly string[], existing: readonly { name: string }[], name: string): boolean {
  return findOfferedTier(allowed, existing, name) !== null;
}
