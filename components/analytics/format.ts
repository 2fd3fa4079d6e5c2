/** Display formats of the analytics dashboards. */
import { formatDate, formatDateTime, formatTime } from "@/lib/domain/datetime";
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat();

export function formatCount(n: number): string {
  return n >= 10_000 ? compact.format(n) : whole.format(n);
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.001 ? 2 : 1)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 2)} s`;
  return `${ms >= 100 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function formatBucket(iso: string, interval: "minute" | "hour" | "day"): string {
  // Buckets are read on the portals' one clock, UTC (see lib/domain/datetime).
  if (interval === "day") return formatDate(iso).replace(/ \d{4}$/, "");
  return formatTime(iso).replace(/ UTC$/, "");
}

export function formatBucketLong(iso: string, interval: "minute" | "hour" | "day"): string {
  return interval === "day" ? `${formatDate(iso)} (UTC)` : formatDateTime(iso);
}
