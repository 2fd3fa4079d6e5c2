import type { CloudWatchClient, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { GetRestApiCommand } from "@aws-sdk/client-api-gateway";
import type { VendorMinute } from "@/lib/domain/analytics/vendor-minutes";
import type { ConnectorConfig } from "../types";
import { awsCredentials } from "./client";
import { awsConfigSchema, type AwsConfig } from "./descriptor";
import { toConnectorError } from "./errors";
import { openAwsSession } from "./session";

/**
 * Traffic of REST APIs on API Gateway, per minute, from CloudWatch (namespace AWS/ApiGateway,
 * dimensions ApiName and Stage): Count, 4XXError and 5XXError sums, Latency and
 * IntegrationLatency averages and maxima. CloudWatch has no per-caller breakdown.
 */

export interface AwsMetricTarget {
  /** The caller's key for this API (Meridian's API id). */
  key: string;
  restApiId: string;
  stage: string;
}

const METRICS = [
  ["count", "Count", "Sum"],
  ["e4", "4XXError", "Sum"],
  ["e5", "5XXError", "Sum"],
  ["lat", "Latency", "Average"],
  ["latmax", "Latency", "Maximum"],
  ["ilat", "IntegrationLatency", "Average"],
] as const;

/** Queries per GetMetricData call: CloudWatch takes at most 500. */
const QUERIES_PER_CALL = 498;

async function cloudWatchClient(config: AwsConfig): Promise<CloudWatchClient> {
  const { CloudWatchClient } = await import("@aws-sdk/client-cloudwatch");
  return new CloudWatchClient({
    region: config.region,
    credentials: await awsCredentials(config),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 4000, requestTimeout: 15000 },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
}

/** The minutes in [from, to) of every target that had traffic. */
export async function readAwsApiMetrics(
  raw: ConnectorConfig,
  targets: AwsMetricTarget[],
  from: Date,
  to: Date,
  signal?: AbortSignal,
): Promise<VendorMinute[]> {
  if (targets.length === 0) return [];
  const config = awsConfigSchema.parse(raw);
  // CloudWatch names REST APIs by their name, not their id.
  const session = await openAwsSession(raw, signal);
  const named: Array<AwsMetricTarget & { apiName: string }> = [];
  try {
    for (const t of targets) {
      const api = await session.sendOrMissing(new GetRestApiCommand({ restApiId: t.restApiId }));
      if (api?.name) named.push({ ...t, apiName: api.name });
    }
  } finally {
    session.close();
  }
  const { GetMetricDataCommand } = await import("@aws-sdk/client-cloudwatch");
  let client: CloudWatchClient;
  try {
    client = await cloudWatchClient(config);
  } catch (error) {
    throw toConnectorError(error);
  }
  const queries: Array<{ query: MetricDataQuery; target: number; metric: string }> = [];
  named.forEach((t, target) => {
    for (const [id, metric, stat] of METRICS)
      queries.push({
        target,
        metric: id,
        query: {
          Id: `${id}_${target}`,
          MetricStat: {
            Metric: {
              Namespace: "AWS/ApiGateway",
              MetricName: metric,
              Dimensions: [
                { Name: "ApiName", Value: t.apiName },
                { Name: "Stage", Value: t.stage },
              ],
            },
            Period: 60,
            Stat: stat,
          },
        },
      });
  });
  const minutes = new Map<string, VendorMinute>();
  try {
    for (let i = 0; i < queries.length; i += QUERIES_PER_CALL) {
      const chunk = queries.slice(i, i + QUERIES_PER_CALL);
      let nextToken: string | undefined;
      do {
        const out = await client.send(
          new GetMetricDataCommand({
            MetricDataQueries: chunk.map((c) => c.query),
            StartTime: from,
            EndTime: to,
            ScanBy: "TimestampAscending",
            NextToken: nextToken,
          }),
          signal ? { abortSignal: signal } : {},
        );
        for (const result of out.MetricDataResults ?? []) {
          const q = chunk.find((c) => c.query.Id === result.Id);
          if (!q) continue;
          const target = named[q.target];
          (result.Timestamps ?? []).forEach((time, j) => {
            const value = result.Values?.[j];
            if (value === undefined) return;
            const minute = new Date(Math.floor(time.getTime() / 60_000) * 60_000).toISOString();
            const key = `${target.key} ${minute}`;
            const m = minutes.get(key) ?? {
              key: target.key,
              minute,
              requests: 0,
              errors4xx: 0,
              errors5xx: 0,
              latencyAvgMs: null,
              latencyMaxMs: null,
              upstreamLatencyAvgMs: null,
            };
            if (q.metric === "count") m.requests = Math.round(value);
            else if (q.metric === "e4") m.errors4xx = Math.round(value);
            else if (q.metric === "e5") m.errors5xx = Math.round(value);
            else if (q.metric === "lat") m.latencyAvgMs = value;
            else if (q.metric === "latmax") m.latencyMaxMs = value;
            else if (q.metric === "ilat") m.upstreamLatencyAvgMs = value;
            minutes.set(key, m);
          });
        }
        nextToken = out.NextToken;
      } while (nextToken);
    }
  } catch (error) {
    throw toConnectorError(error);
  } finally {
    client.destroy();
  }
  return [...minutes.values()].filter((m) => m.requests > 0).sort((a, b) => a.minute.localeCompare(b.minute) || a.key.localeCompare(b.key));
}
