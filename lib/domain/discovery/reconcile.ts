/** One remote API as the last listing saw it. */
export interface ListedApi {
  externalId: string;
  contentHash: string;
}

/** What Meridian remembers of a remote API from earlier listings. */
export interface KnownApi {
  externalId: string;
  contentHash: string;
  state: "new" | "updated" | "unchanged" | "gone";
}

export type DiscoveryChange<L> =
  | { kind: "new"; listed: L }
  | { kind: "updated"; listed: L; known: KnownApi }
  | { kind: "unchanged"; listed: L; known: KnownApi }
  | { kind: "gone"; known: KnownApi };

/**
 * Compares a complete listing with what was known: every listed API is New, Updated (content
 * hash differs) or Unchanged; every known API missing from the listing is Gone, also when the
 * listing is empty. An API that comes back after being gone counts as Updated.
 */
export function reconcileDiscovery<L extends ListedApi>(known: KnownApi[], listing: L[]): DiscoveryChange<L>[] {
  const byId = new Map(known.map((k) => [k.externalId, k]));
  const seen = new Set<string>();
  const changes: DiscoveryChange<L>[] = [];
  for (const listed of listing) {
    if (seen.has(listed.externalId)) continue;
    seen.add(listed.externalId);
    const k = byId.get(listed.externalId);
    if (!k) changes.push({ kind: "new", listed });
    else if (k.contentHash !== listed.contentHash || k.state === "gone") changes.push({ kind: "updated", listed, known: k });
    else changes.push({ kind: "unchanged", listed, known: k });
  }
  for (const k of known) if (!seen.has(k.externalId)) changes.push({ kind: "gone", known: k });
  return changes;
}
