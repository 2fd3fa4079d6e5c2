import { RANGE_PRESETS, type RangePresetId } from "@/lib/domain/analytics/time-range";
import type { AnalyticsFilters, AnalyticsRange } from "./analytics-range";

/**
 * The dashboard's state in its URL, so a filtered view can be shared and survives a reload:
 * `range` (a preset, or `custom` with `from` and `to`), `api`, `application`, `environment`,
 * `region` (present and empty: events without a region). Defaults are left out.
 */
const FILTER_PARAMS = { apiId: "api", applicationId: "application", environment: "environment" } as const;
const DEFAULT_PRESET: RangePresetId = "24h";

export interface DashboardState {
  range: AnalyticsRange;
  filters: AnalyticsFilters;
}

const isPreset = (v: string | null): v is RangePresetId => RANGE_PRESETS.some((p) => p.id === v);
const isInstant = (v: string | null): v is string => !!v && !Number.isNaN(Date.parse(v));

export function readDashboardState(params: URLSearchParams): DashboardState {
  const preset = params.get("range");
  const from = params.get("from");
  const to = params.get("to");
  const range: AnalyticsRange =
    preset === "custom" && isInstant(from) && isInstant(to) && Date.parse(from) < Date.parse(to)
      ? { preset: "custom", from: new Date(from).toISOString(), to: new Date(to).toISOString() }
      : { preset: isPreset(preset) ? preset : DEFAULT_PRESET };
  const filters: AnalyticsFilters = {};
  for (const [key, name] of Object.entries(FILTER_PARAMS) as Array<[keyof typeof FILTER_PARAMS, string]>) {
    const value = params.get(name)?.trim().slice(0, 300);
    if (value) filters[key] = value;
  }
  const region = params.get("region");
  if (region !== null) filters.region = region.slice(0, 300);
  return { range, filters };
}

export function writeDashboardState({ range, filters }: DashboardState): URLSearchParams {
  const params = new URLSearchParams();
  if (range.preset === "custom") {
    params.set("range", "custom");
    params.set("from", range.from);
    params.set("to", range.to);
  } else if (range.preset !== DEFAULT_PRESET) {
    params.set("range", range.preset);
  }
  for (const [key, name] of Object.entries(FILTER_PARAMS) as Array<[keyof typeof FILTER_PARAMS, string]>) {
    const value = filters[key];
    if (value) params.set(name, value);
  }
  if (filters.region !== undefined) params.set("region", filters.region);
  return params;
}
