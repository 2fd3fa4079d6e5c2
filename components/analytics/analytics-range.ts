import { presetRange, type RangePresetId } from "@/lib/domain/analytics/time-range";

/** The dashboard's time range: a preset that follows the clock, or fixed custom bounds. */
export type AnalyticsRange = { preset: RangePresetId } | { preset: "custom"; from: string; to: string };

export type AnalyticsScopeParam = "all" | "publisher" | "consumer";

export interface AnalyticsFilters {
  apiId?: string;
  applicationId?: string;
  environment?: string;
  region?: string;
}

/** Resolves the range now (presets move with the clock at every refetch). */
export function rangeBounds(range: AnalyticsRange, now = Date.now()): { from: string; to: string } {
  if (range.preset === "custom") return { from: range.from, to: range.to };
  const { from, to } = presetRange(range.preset, now);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

export function analyticsParams(
  scope: AnalyticsScopeParam,
  range: AnalyticsRange,
  filters: AnalyticsFilters,
  extra: Record<string, string> = {},
): URLSearchParams {
  const params = new URLSearchParams({ scope, ...rangeBounds(range), ...extra });
  if (filters.apiId) params.set("apiId", filters.apiId);
  if (filters.applicationId) params.set("applicationId", filters.applicationId);
  if (filters.environment) params.set("environment", filters.environment);
  if (filters.region !== undefined) params.set("region", filters.region);
  return params;
}

export async function fetchAnalytics<T>(path: string, params: URLSearchParams): Promise<T> {
  const res = await fetch(`/api/v1/analytics/${path}?${params.toString()}`, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error((await res.json().catch(() => null))?.detail ?? `Analytics could not be loaded (HTTP ${res.status}).`);
  return res.json();
}
