import type { AnalyticsEvent, AnalyticsEventGroup } from "@/lib/domain/gateway/snapshot";

/**
 * Events in the compact batch form (`compactAnalyticsBatchSchema`), built from their known
 * fields: much faster than `JSON.stringify`, and it runs once per proxied request. An event is
 * written in two parts: its group (`eventGroupJson`: the members that all calls of one
 * operation by one caller share, which the request handler keeps per operation and caller and
 * the batch writes once) and the request's own members (`eventFieldsJson`). Strings made only
 * of characters that JSON never escapes are quoted as they are; any other goes through
 * `JSON.stringify`. Latencies are written to the microsecond from integers (formatting an
 * arbitrary double showed in the profile).
 */
const PLAIN = /^[\w\-./{}:@ ]*$/;

function str(value: string | null | undefined): string {
  if (value === null || value === undefined) return "null";
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

function num(value: number | null): string {
  return value !== null && Number.isFinite(value) ? String(value) : "null";
}

/** Milliseconds to 3 decimals, e.g. 0.812 or 12.5 (trailing zeros kept: "12.500"). */
function ms(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "null";
  if (value < 0) return String(value);
  const us = Math.round(value * 1000);
  const whole = Math.floor(us / 1000);
  const fraction = us - whole * 1000;
  if (fraction === 0) return String(whole);
  return `${whole}.${fraction < 10 ? "00" : fraction < 100 ? "0" : ""}${fraction}`;
}

/** A group of the compact batch form (the members every call of one operation by one caller with one method shares): `{"environment":…,…,"method":…}`. */
export function eventGroupJson(e: AnalyticsEventGroup): string {
  return `{"environment":${str(e.environment)},"instanceId":${str(e.instanceId)},"region":${str(e.region)},"apiId":${str(e.apiId)},"operation":${str(e.operation)},"applicationId":${str(e.applicationId)},"keyType":${str(e.keyType)},"method":${str(e.method)}}`;
}

/** The request's own members of a compact event, after its group and time: `path,status,latencyMs,upstreamLatencyMs,requestBytes,responseBytes[,errorCode]`. */
export function eventFieldsJson(
  path: string,
  status: number,
  latencyMs: number,
  upstreamLatencyMs: number | null,
  requestBytes: number,
  responseBytes: number,
  errorCode: string | undefined,
): string {
  const error = errorCode === undefined ? "" : `,${str(errorCode)}`;
  return `${str(path)},${num(status)},${ms(latencyMs)},${ms(upstreamLatencyMs)},${num(requestBytes)},${num(responseBytes)}${error}`;
}

/** The same for a whole event. */
export function eventFieldsOf(e: AnalyticsEvent): string {
  return eventFieldsJson(e.path, e.status, e.latencyMs, e.upstreamLatencyMs, e.requestBytes, e.responseBytes, e.errorCode);
}
