import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { rateLimitPolicies, type RateLimitPolicy } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { requireActor, type ServiceContext } from "@/lib/services/context";
import type { PolicyKind } from "./schemas";
import { toTierView, type TierView } from "./tier-dto";

export const KIND_LABELS: Record<PolicyKind, string> = {
  subscription: "Subscription tier",
  application: "Application policy",
  api: "API policy",
};

/** Tiers are shown to publishers (allowed tiers) and subscribers (when subscribing): any signed-in user reads them. */
export async function listTiers(kind: PolicyKind, ctx: ServiceContext): Promise<TierView[]> {
  requireActor(ctx);
  return (await listTierRows(kind)).map(toTierView);
}

/** The tiers of a kind, small to large: unlimited last, then by rate per second, then by name. */
export async function listTierRows(kind: PolicyKind, tx?: DbOrTx): Promise<RateLimitPolicy[]> {
  const db = tx ?? (await getDb());
  return db
    .select()
    .from(rateLimitPolicies)
    .where(eq(rateLimitPolicies.kind, kind))
    .orderBy(
      asc(rateLimitPolicies.unlimited),
      asc(
        sql`${rateLimitPolicies.requests}::float8 / case ${rateLimitPolicies.unit} when 'second' then 1 when 'minute' then 60 when 'hour' then 3600 else 86400 end`,
      ),
      asc(rateLimitPolicies.name),
    );
}

export async function getTierRowOrThrow(kind: PolicyKind, name: string, tx?: DbOrTx): Promise<RateLimitPolicy> {
  const db = tx ?? (await getDb());
  const [row] = await db
    .select()
    .from(rateLimitPolicies)
    .where(and(eq(rateLimitPolicies.kind, kind), eq(rateLimitPolicies.name, name)))
    .limit(1);
  if (!row) throw new AppError("not_found", `No ${KIND_LABELS[kind].toLowerCase()} named "${name}".`);
  return row;
}

export async function getTier(kind: PolicyKind, name: string, ctx: ServiceContext): Promise<TierView> {
  requireActor(ctx);
  return toTierView(await getTierRowOrThrow(kind, name));
}

/** The names of the tiers of a kind, for features that refer to tiers by name (an API's allowed tiers). */
export async function listTierNames(kind: PolicyKind = "subscription", tx?: DbOrTx): Promise<string[]> {
  const db = tx ?? (await getDb());
  const rows = await db
    .select({ name: rateLimitPolicies.name })
    .from(rateLimitPolicies)
    .where(eq(rateLimitPolicies.kind, kind))
    .orderBy(asc(rateLimitPolicies.name));
  return rows.map((r) => r.name);
}
