import { ArmError, type ArmContext } from "./arm";
import type { TrafficRecord } from "./store";

/**
 * API Management's reports (`GET …/service/{name}/reports/byApi` and `…/reports/byTime`),
 * computed from the calls the emulator's gateway really carried. The filter takes what the
 * service documents for these reports: `timestamp ge datetime'…' and timestamp le
 * datetime'…'` (both required), optionally `and apiId eq '…'`; byTime needs an `interval` that
 * is a whole multiple of 15 minutes (PT15M, PT1H, P1D, …). Calls are classified as the service
 * does: success (status < 302, 304, 307), blocked (401, 403, 429), failed (400 and 5xx), other.
 */

interface Filter {
  from: number;
  to: number;
  apiId?: string;
}

function badFilter(message: string): never {
  throw new ArmError(400, "ValidationError", message);
}

function parseTime(text: string): number {
  // datetime'2026-12-07T10:00:00' carries no zone: UTC, as the service reads it.
  const iso = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) badFilter(`'${text}' is not a valid date-time.`);
  return t;
}

export function parseReportFilter(filter: string | null): Filter {
  if (!filter) badFilter("The $filter parameter is required: timestamp ge datetime'…' and timestamp le datetime'…'.");
  const out: Partial<Filter> = {};
  for (const clause of filter!.split(/\s+and\s+/i)) {
    const m = /^\s*(\w+)\s+(ge|le|eq)\s+(?:datetime)?'([^']*)'\s*$/i.exec(clause);
    if (!m) badFilter(`Cannot read the filter clause '${clause}'.`);
    const [, field, op, value] = m!;
    if (field === "timestamp" && op.toLowerCase() === "ge") out.from = parseTime(value);
    else if (field === "timestamp" && op.toLowerCase() === "le") out.to = parseTime(value);
    else if (field === "apiId" && op.toLowerCase() === "eq") out.apiId = value.replace(/^\/apis\//, "");
    else badFilter(`The filter on '${field}' with '${op}' is not supported.`);
  }
  if (out.from === undefined || out.to === undefined) badFilter("Both timestamp ge and timestamp le are required in $filter.");
  return out as Filter;
}

/** ISO 8601 durations that are whole multiples of 15 minutes, in ms. */
export function parseInterval(text: string | null): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(text ?? "");
  const ms = m ? ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 : 0;
  if (!ms || ms % (15 * 60_000) !== 0) badFilter("The interval must be a multiple of 15 minutes, such as PT15M or PT1H.");
  return ms;
}

interface Sums {
  callCountSuccess: number;
  callCountBlocked: number;
  callCountFailed: number;
  callCountOther: number;
  callCountTotal: number;
  bandwidth: number;
  cacheHitCount: number;
  cacheMissCount: number;
  apiTimeAvg: number;
  apiTimeMin: number;
  apiTimeMax: number;
  serviceTimeAvg: number;
  serviceTimeMin: number;
  serviceTimeMax: number;
}

function sums(records: TrafficRecord[]): Sums {
  const api = records.map((r) => r.apiTimeMs);
  const service = records.filter((r) => r.serviceTimeMs !== null).map((r) => r.serviceTimeMs!);
  const avg = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
  const s = (r: TrafficRecord) => r.status;
  const success = records.filter((r) => s(r) < 302 || s(r) === 304 || s(r) === 307).length;
  const blocked = records.filter((r) => [401, 403, 429].includes(s(r))).length;
  const failed = records.filter((r) => s(r) === 400 || (s(r) >= 500 && s(r) < 600)).length;
  return {
    callCountSuccess: success,
    callCountBlocked: blocked,
    callCountFailed: failed,
    callCountOther: records.length - success - blocked - failed,
    callCountTotal: records.length,
    bandwidth: records.reduce((n, r) => n + r.bandwidth, 0),
    cacheHitCount: 0,
    cacheMissCount: 0,
    apiTimeAvg: avg(api),
    apiTimeMin: api.length ? Math.min(...api) : 0,
    apiTimeMax: api.length ? Math.max(...api) : 0,
    serviceTimeAvg: avg(service),
    serviceTimeMin: service.length ? Math.min(...service) : 0,
    serviceTimeMax: service.length ? Math.max(...service) : 0,
  };
}

function inRange(traffic: TrafficRecord[], f: Filter): TrafficRecord[] {
  return traffic.filter((r) => r.time >= f.from && r.time <= f.to && (!f.apiId || r.apiId === f.apiId));
}

/** GET reports/byApi: one record per API with calls in the range. */
export function reportsByApi(ctx: ArmContext, url: URL): Array<Record<string, unknown>> {
  const f = parseReportFilter(url.searchParams.get("$filter"));
  const byApi = new Map<string, TrafficRecord[]>();
  for (const r of inRange(ctx.store.traffic, f)) byApi.set(r.apiId, [...(byApi.get(r.apiId) ?? []), r]);
  return [...byApi.entries()].map(([apiId, records]) => ({
    name: ctx.store.apis.get(apiId)?.displayName ?? apiId,
    apiId: `/apis/${apiId}`,
    ...sums(records),
  }));
}

/** GET reports/byTime: one record per interval with calls, from the range's start. */
export function reportsByTime(ctx: ArmContext, url: URL): Array<Record<string, unknown>> {
  const f = parseReportFilter(url.searchParams.get("$filter"));
  const interval = parseInterval(url.searchParams.get("interval"));
  const buckets = new Map<number, TrafficRecord[]>();
  for (const r of inRange(ctx.store.traffic, f)) {
    const at = f.from + Math.floor((r.time - f.from) / interval) * interval;
    buckets.set(at, [...(buckets.get(at) ?? []), r]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, records]) => ({ timestamp: new Date(at).toISOString(), interval: url.searchParams.get("interval"), ...sums(records) }));
}
