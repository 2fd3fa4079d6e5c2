import { sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { optionalTableColumns, rowsOf } from "@/lib/db/optional-tables";
import type { PolicyKind } from "./schemas";

export interface TierUsage {
  type: "api" | "subscription";
  id: string;
  label: string;
}

export const MAX_USAGES_LISTED = 50;

/**
 * Where a tier is used, by name: APIs that allow it (apis.allowed_tiers) and subscriptions on
 * it (subscriptions.tier). Those tables belong to other features and may not exist yet, so
 * each is queried only when its columns are there. Only subscription tiers are referenced so
 * far; application and API policies gain their references with the features that use them.
 */
export async function findTierUsages(tierName: string, kind: PolicyKind = "subscription", tx?: DbOrTx): Promise<TierUsage[]> {
  if (kind !== "subscription") return [];
  const db = tx ?? (await getDb());
  const usages: TierUsage[] = [];

  const apiColumns = await optionalTableColumns(db, "apis");
  if (apiColumns.has("allowed_tiers") && apiColumns.has("name")) {
    const version = apiColumns.has("version") ? sql`version` : sql`''`;
    const rows = rowsOf<{ id: string; name: string; version: string }>(
      await db.execute(sql`
        select id, name, ${version} as version from apis
        where exists (select 1 from unnest(allowed_tiers) t where lower(t) = lower(${tierName}))
        order by lower(name), id limit ${MAX_USAGES_LISTED}`),
    );
    for (const r of rows) usages.push({ type: "api", id: r.id, label: r.version ? `${r.name} ${r.version}` : r.name });
  }

  const subscriptionColumns = await optionalTableColumns(db, "subscriptions");
  if (subscriptionColumns.has("tier") && subscriptionColumns.has("id")) {
    const rows = rowsOf<{ id: string }>(
      await db.execute(sql`select id from subscriptions where lower(tier) = lower(${tierName}) order by id limit ${MAX_USAGES_LISTED}`),
    );
    for (const r of rows) usages.push({ type: "subscription", id: r.id, label: `subscription ${r.id}` });
  }
  return usages;
}
