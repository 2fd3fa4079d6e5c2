import { METRIC_KEYS, type AnalyticsMetrics } from "@/lib/domain/analytics/metrics";

export interface CsvInput {
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

/** One table: a row per time bucket (dimension "time"), then a row per group of each breakdown. */
export function analyticsCsv({ points, breakdowns }: CsvInput): string {
  const header = ["dimension", "key", "label", "time", ...METRIC_KEYS];
  const lines = [header.join(",")];
  for (const p of points) lines.push(["time", "", "", p.time, ...METRIC_KEYS.map((k) => p[k])].map(cell).join(","));
  for (const [dimension, groups] of Object.entries(breakdowns)) {
    for (const g of groups ?? []) lines.push([dimension, g.key, g.label, "", ...METRIC_KEYS.map((k) => g[k])].map(cell).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
