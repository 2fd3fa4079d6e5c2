import type { VendorMinute } from "@/lib/domain/analytics/vendor-minutes";
import type { ConnectorConfig } from "../types";
import { azureSession } from "./client";
import { azureConfigSchema } from "./descriptor";
import { toConnectorError } from "./errors";

/**
 * Traffic of APIs on API Management, per minute, from the service's reports: `byTime` (whose
 * interval is at least 15 minutes) finds the quarter hours that had calls, then `byApi`
 * filtered to each of their minutes gives every API's calls of that minute. The reports have no
 * per-caller breakdown for Meridian's applications. Their classes map to status classes as the
 * service defines them: success (2xx and some 3xx) as 2xx, blocked (401, 403, 429) and other
 * calls as 4xx, failed (400 and 5xx) as 5xx.
 */

export interface AzureMetricTarget {
  /** The caller's key for this API (Meridian's API id). */
  key: string;
  /** The API's name on API Management. */
  apiId: string;
}

const QUARTER_MS = 15 * 60_000;

/** An OData date-time literal, as the reports' filter takes it (UTC). */
function literal(ms: number): string {
  return `datetime'${new Date(ms).toISOString().replace(/Z$/, "")}'`;
}

/** The minutes in [from, to) of every target that had calls. */
export async function readAzureApiReports(
  raw: ConnectorConfig,
  targets: AzureMetricTarget[],
  from: Date,
  to: Date,
  signal?: AbortSignal,
): Promise<VendorMinute[]> {
  if (targets.length === 0) return [];
  const config = azureConfigSchema.parse(raw);
  const byApiId = new Map(targets.map((t) => [t.apiId, t.key]));
  const { client, rg, service } = await azureSession(config);
  const start = Math.floor(from.getTime() / 60_000) * 60_000;
  const end = to.getTime();
  const out: VendorMinute[] = [];
  try {
    // Quarter hours (from a quarter-hour boundary) that had any call.
    const quarterStart = Math.floor(start / QUARTER_MS) * QUARTER_MS;
    const busy: number[] = [];
    for await (const r of client.reports.listByTime(
      rg,
      service,
      `timestamp ge ${literal(quarterStart)} and timestamp le ${literal(end - 1)}`,
      "PT15M",
      {
        abortSignal: signal,
      },
    )) {
      if ((r.callCountTotal ?? 0) > 0 && r.timestamp) busy.push(new Date(r.timestamp).getTime());
    }
    for (const quarter of busy) {
      for (let minute = Math.max(quarter, start); minute < Math.min(quarter + QUARTER_MS, end); minute += 60_000) {
        const filter = `timestamp ge ${literal(minute)} and timestamp le ${literal(minute + 59_999)}`;
        for await (const r of client.reports.listByApi(rg, service, filter, { abortSignal: signal })) {
          const apiId = (r.apiId ?? "").replace(/^\/apis\//, "").replace(/;rev=.*$/, "");
          const key = byApiId.get(apiId);
          const total = r.callCountTotal ?? 0;
          if (!key || total <= 0) continue;
          out.push({
            key,
            minute: new Date(minute).toISOString(),
            requests: total,
            errors4xx: (r.callCountBlocked ?? 0) + (r.callCountOther ?? 0),
            errors5xx: r.callCountFailed ?? 0,
            latencyAvgMs: r.apiTimeAvg ?? null,
            latencyMaxMs: r.apiTimeMax ?? null,
            upstreamLatencyAvgMs: r.serviceTimeAvg ?? null,
          });
        }
      }
    }
  } catch (error) {
    throw toConnectorError(error, "reading the API Management reports");
  }
  return out;
}
