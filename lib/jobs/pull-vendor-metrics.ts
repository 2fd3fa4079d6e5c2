import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { readAwsApiMetrics } from "@/lib/connectors/aws/metrics";
import { readAzureApiReports } from "@/lib/connectors/azure/metrics";
import { getDescriptor } from "@/lib/connectors/registry";
import { getDb } from "@/lib/db/client";
import { deployments, environments } from "@/lib/db/schema";
import type { VendorMinute } from "@/lib/domain/analytics/vendor-minutes";
import { logger } from "@/lib/log";
import { ingestVendorMinutes } from "@/lib/services/analytics/ingest-vendor-minutes";
import { analyticsSettings } from "@/lib/services/analytics/settings";
import { decryptConfig } from "@/lib/services/environments/config-secrets";

/** Environment types whose traffic Meridian reads from the vendor's own metrics. */
export const VENDOR_METRIC_TYPES = ["aws", "azure"] as const;

export interface VendorPullResult {
  environments: number;
  minutes: number;
  /** Requests the pull added to the roll-ups (a revised minute adds its difference). */
  requests: number;
  failures: Array<{ environment: string; error: string }>;
}

/**
 * The scheduled pull of third-party gateways' traffic: for every AWS environment, API Gateway's
 * metrics from CloudWatch; for every Azure environment, API Management's reports; for the APIs
 * Meridian deployed there, over the last `lookbackMinutes` (a vendor publishes a minute late and
 * may revise it). What was read becomes the environment's minute roll-ups, counted once however
 * often a minute is read. One environment failing does not stop the others.
 */
export async function pullVendorMetrics(
  options: { now?: Date; lookbackMinutes?: number; signal?: AbortSignal; environmentIds?: string[] } = {},
): Promise<VendorPullResult> {
  const now = options.now ?? new Date();
  const to = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
  const from = new Date(to.getTime() - (options.lookbackMinutes ?? analyticsSettings.vendorMetricsLookbackMinutes) * 60_000);
  const db = await getDb();
  const envs = await db
    .select()
    .from(environments)
    .where(
      options.environmentIds
        ? and(inArray(environments.type, [...VENDOR_METRIC_TYPES]), inArray(environments.id, options.environmentIds))
        : inArray(environments.type, [...VENDOR_METRIC_TYPES]),
    );
  const result: VendorPullResult = { environments: 0, minutes: 0, requests: 0, failures: [] };
  for (const env of envs) {
    if (options.signal?.aborted) break;
    const deployed = await db
      .select({ apiId: deployments.apiId, reference: deployments.reference })
      .from(deployments)
      .where(
        and(eq(deployments.environmentId, env.id), inArray(deployments.status, ["deployed", "drifted"]), isNotNull(deployments.reference)),
      );
    if (deployed.length === 0) continue;
    try {
      const config = decryptConfig(getDescriptor(env.type), env.config);
      let minutes: VendorMinute[];
      if (env.type === "aws") {
        const targets = deployed.flatMap((d) => {
          const ref = d.reference as { ids?: Record<string, string>; stage?: string } | null;
          return ref?.ids?.restApiId && ref.stage ? [{ key: d.apiId, restApiId: ref.ids.restApiId, stage: ref.stage }] : [];
        });
        minutes = await readAwsApiMetrics(config, targets, from, to, options.signal);
      } else {
        const targets = deployed.flatMap((d) => {
          const ref = d.reference as { ids?: Record<string, string> } | null;
          return ref?.ids?.apiId ? [{ key: d.apiId, apiId: ref.ids.apiId }] : [];
        });
        minutes = await readAzureApiReports(config, targets, from, to, options.signal);
      }
      const region = env.region || (typeof config.region === "string" ? config.region : null);
      const stored = await ingestVendorMinutes({ id: env.id, name: env.name, region, type: env.type as "aws" | "azure" }, minutes);
      result.environments++;
      result.minutes += minutes.length;
      result.requests += stored.requests;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.failures.push({ environment: env.name, error: message });
      logger.warn({ environment: env.name, err: message }, "Could not read the gateway's traffic metrics");
    }
  }
  return result;
}
