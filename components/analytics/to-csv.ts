import { METRIC_KEYS, type AnalyticsMetrics } from "@/lib/domain/analytics/metrics";

export interface CsvInput {
  /** The filters the figures were read with, written first so the file says what it holds. */
  filters?: Array<{ name: string; value: string; label: string }>;
  points: Array<AnalyticsMetrics & { time: string }>;
  breakdowns: Partial<Record<string, Array<AnalyticsMetrics & { key: string; label: string }>>>;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  // Quote what CSV needs quoted, and neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * One table: a row per filter in force (dimension "filter", no figures), a row per time bucket
 * (dimension "time"), then a row per group of each breakdown.
 */
export function analyticsCsv({ filters = [], points, breakdowns }: CsvInput): string {
  const header = ["dimension", "key", "label", "time", ...METRIC_KEYS];
  const lines = [header.join(",")];
  for (const f of filters) lines.push(["filter", `${f.name}=${f.value}`, f.label, "", ...METRIC_KEYS.map(() => "")].map(cell).join(","));
  for (const p of points) lines.push(["time", "", "", p.time, ...METRIC_KEYS.map((k) => p[k])].map(cell).join(","));
  for (const [dimension, groups] of Object.entries(breakdowns)) {
    for (const g of groups ?? []) lines.push([dimension, g.key, g.label, "", ...METRIC_KEYS.map((k) => g[k])].map(cell).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
