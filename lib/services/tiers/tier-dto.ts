import type { RateLimitPolicy } from "@/lib/db/schema";
import type { PolicyKind, RateUnit } from "./schemas";

export interface TierView {
  id: string;
  kind: PolicyKind;
  name: string;
  displayName: string;
  description: string;
  unlimited: boolean;
  requests: number | null;
  unit: RateUnit | null;
  burst: number | null;
  monthlyQuota: number | null;
  /** "1,000 requests per minute, burst 50, 1,000,000 per month". */
  summary: string;
  createdAt: string;
  updatedAt: string;
}

export function describeLimits(t: {
  unlimited: boolean;
  requests: number | null;
  unit: string | null;
  burst: number | null;
  monthlyQuota: number | null;
}): string {
  if (t.unlimited) return "Unlimited";
  const parts = [`${(t.requests ?? 0).toLocaleString("en")} requests per ${t.unit ?? "minute"}`];
  if (t.burst) parts.push(`burst ${t.burst.toLocaleString("en")}`);
  if (t.monthlyQuota) parts.push(`${t.monthlyQuota.toLocaleString("en")} per month`);
  return parts.join(", ");
}

export function toTierView(row: RateLimitPolicy): TierView {
  return {
    id: row.id,
    kind: row.kind as PolicyKind,
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    unlimited: row.unlimited,
    requests: row.requests,
    unit: row.unit as RateUnit | null,
    burst: row.burst,
    monthlyQuota: row.monthlyQuota,
    summary: describeLimits(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
