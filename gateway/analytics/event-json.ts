import { randomBytes } from "node:crypto";
import type { AnalyticsEvent } from "@/lib/domain/gateway/snapshot";

/**
 * One event as JSON, built from its known fields: about 2.5 times faster than `JSON.stringify`,
 * and it runs once per proxied request. Strings made only of characters that JSON never escapes
 * are quoted as they are; any other goes through `JSON.stringify`. Latencies are written to the
 * microsecond from integers (formatting an arbitrary double showed in the profile).
 *
 * An event is written in two parts: the members that all calls of one operation by one
 * application share (`eventIdentityJson`, which the request handler keeps per operation and
 * caller) and the members of the request itself (`eventJsonWith`). Member order means nothing
 * to the control plane.
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

/** The members every call of one operation by one caller shares. */
export type EventIdentity = Pick<AnalyticsEvent, "environment" | "instanceId" | "region" | "apiId" | "operation" | "applicationId" | "keyType" | "method">;

/** `"environment":…,…,"method":…,` (members with their trailing comma, no braces). */
export function eventIdentityJson(e: EventIdentity): string {
  return `"environment":${str(e.environment)},"instanceId":${str(e.instanceId)},"region":${str(e.region)},"apiId":${str(e.apiId)},"operation":${str(e.operation)},"applicationId":${str(e.applicationId)},"keyType":${str(e.keyType)},"method":${str(e.method)},`;
}

/** A whole event from its identity members (`eventIdentityJson`) and the request's own fields. */
export function eventJsonWith(
  identity: string,
  id: string,
  time: string,
  path: string,
  status: number,
  latencyMs: number,
  upstreamLatencyMs: number | null,
  requestBytes: number,
  responseBytes: number,
  errorCode: string | undefined,
): string {
  const error = errorCode === undefined ? "" : `,"errorCode":${str(errorCode)}`;
  return `{"id":"${id}","time":"${time}",${identity}"path":${str(path)},"status":${num(status)},"latencyMs":${ms(latencyMs)},"upstreamLatencyMs":${ms(upstreamLatencyMs)},"requestBytes":${num(requestBytes)},"responseBytes":${num(responseBytes)}${error}}`;
}

export function eventJson(e: AnalyticsEvent): string {
  return eventJsonWith(eventIdentityJson(e), e.id, e.time, e.path, e.status, e.latencyMs, e.upstreamLatencyMs, e.requestBytes, e.responseBytes, e.errorCode);
}

/**
 * Event ids: UUIDs (version 4 layout) made of 74 random bits drawn once per process and a
 * 48-bit counter, so unique across processes and restarts without drawing randomness per
 * request (`randomUUID` for every event showed in the profile).
 */
export class EventIds {
  private prefix = "";
  private counter = 0;

  constructor() {
    this.reseed();
  }

  private reseed(): void {
    const r = randomBytes(10).toString("hex");
    // xxxxxxxx-xxxx-4xxx-Nxxx-cccccccccccc, N one of 8, 9, a, b (the RFC 9562 variant).
    this.prefix = `${r.slice(0, 8)}-${r.slice(8, 12)}-4${r.slice(12, 15)}-${"89ab"[parseInt(r[15], 16) & 3]}${r.slice(16, 19)}-`;
    this.counter = 0;
  }

  next(): string {
    if (this.counter > 0xffff_ffff_ffff) this.reseed();
    const n = (this.counter++).toString(16);
    return this.prefix + "000000000000".slice(n.length) + n;
  }
}

/** ISO 8601 times to the millisecond, the part up to the second kept from one call to the next. */
export class IsoTimes {
  private second = -1;
  private head = "";

  format(epochMs: number): string {
    epochMs = Math.floor(epochMs);
    const second = Math.floor(epochMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.head = new Date(second * 1000).toISOString().slice(0, 20);
    }
    const millis = epochMs - second * 1000;
    return `${this.head}${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
  }
}
