import type http from "node:http";
import { AwsError } from "./errors";
import type { EmulatorState, TrafficRecord } from "./store";

/**
 * Amazon CloudWatch's GetMetricData for the namespace AWS/ApiGateway, computed from what the
 * emulator's data plane really carried. The SDK speaks the AWS JSON 1.0 protocol to it (POST /
 * with `X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`, timestamps as epoch
 * seconds), signed for the service `monitoring`. Metrics as API Gateway publishes them for REST
 * APIs: Count, 4XXError, 5XXError, Latency and IntegrationLatency, by ApiName and Stage (or by
 * ApiName alone). Only periods with traffic have data points, newest first unless asked.
 */

export const CLOUDWATCH_TARGET_PREFIX = "GraniteServiceVersion20100801.";

const METRICS = new Set(["Count", "4XXError", "5XXError", "Latency", "IntegrationLatency", "CacheHitCount", "CacheMissCount"]);
const STATS = /^(Sum|Average|Maximum|Minimum|SampleCount|p(\d{1,2}(\.\d+)?|100))$/;
const ID = /^[a-z][a-zA-Z0-9_]{0,254}$/;

interface Dimension {
  Name: string;
  Value: string;
}

interface Query {
  Id: string;
  Label?: string;
  ReturnData?: boolean;
  Expression?: string;
  MetricStat?: {
    Metric: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
    Period: number;
    Stat: string;
    Unit?: string;
  };
}

function invalid(message: string): AwsError {
  return new AwsError(400, "InvalidParameterValueException", message);
}

function epochMs(value: unknown, name: string): number {
  if (typeof value === "number" && Number.isFinite(value)) return value * 1000;
  if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  throw new AwsError(400, "MissingRequiredParameterException", `The parameter ${name} is required.`);
}

/** The value of one request for a metric; null when the request does not count in it. */
function valueOf(metric: string, r: TrafficRecord): number | null {
  switch (metric) {
    case "Count":
      return 1;
    case "4XXError":
      return r.status >= 400 && r.status < 500 ? 1 : 0;
    case "5XXError":
      return r.status >= 500 ? 1 : 0;
    case "Latency":
      return r.latencyMs;
    case "IntegrationLatency":
      return r.integrationLatencyMs;
    default:
      return 0;
  }
}

function statistic(stat: string, values: number[]): number {
  if (stat === "Sum") return values.reduce((a, b) => a + b, 0);
  if (stat === "Average") return values.reduce((a, b) => a + b, 0) / values.length;
  if (stat === "Maximum") return Math.max(...values);
  if (stat === "Minimum") return Math.min(...values);
  if (stat === "SampleCount") return values.length;
  const q = Number(stat.slice(1)) / 100;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

function getMetricData(state: EmulatorState, input: Record<string, unknown>) {
  const queries = input.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0)
    throw new AwsError(400, "MissingRequiredParameterException", "The parameter MetricDataQueries is required.");
  if (queries.length > 500) throw invalid("The collection MetricDataQueries must not have a size greater than 500.");
  const start = epochMs(input.StartTime, "StartTime");
  const end = epochMs(input.EndTime, "EndTime");
  if (start >= end) throw invalid("The parameter StartTime must be less than the parameter EndTime.");
  const descending = (input.ScanBy ?? "TimestampDescending") === "TimestampDescending";
  const ids = new Set<string>();
  const results = (queries as Query[]).map((q) => {
    if (!q || typeof q.Id !== "string" || !ID.test(q.Id))
      throw invalid(
        `The value ${String(q?.Id)} for parameter MetricDataQueries.member.Id is invalid: it must start with a lowercase letter.`,
      );
    if (ids.has(q.Id)) throw invalid(`The value ${q.Id} for parameter MetricDataQueries.member.Id is not unique.`);
    ids.add(q.Id);
    if (!!q.MetricStat === !!q.Expression) throw invalid(`The query ${q.Id} must have exactly one of MetricStat and Expression.`);
    if (q.Expression) throw invalid("Metric math expressions are not served by this emulator.");
    const { Metric, Period, Stat } = q.MetricStat!;
    if (!Number.isInteger(Period) || Period <= 0 || (Period >= 60 ? Period % 60 !== 0 : ![1, 5, 10, 30].includes(Period)))
      throw invalid("The parameter MetricDataQueries.member.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.");
    if (typeof Stat !== "string" || !STATS.test(Stat)) throw invalid(`The statistic ${String(Stat)} is not valid.`);
    if (!Metric?.Namespace || !Metric.MetricName)
      throw new AwsError(400, "MissingRequiredParameterException", "Namespace and MetricName are required.");
    const dims = new Map((Metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
    const matches =
      Metric.Namespace === "AWS/ApiGateway" &&
      METRICS.has(Metric.MetricName) &&
      dims.has("ApiName") &&
      [...dims.keys()].every((k) => k === "ApiName" || k === "Stage");
    const periodMs = Period * 1000;
    const buckets = new Map<number, number[]>();
    if (matches) {
      for (const r of state.traffic) {
        if (r.time < start || r.time >= end || r.apiName !== dims.get("ApiName")) continue;
        if (dims.has("Stage") && r.stage !== dims.get("Stage")) continue;
        const value = valueOf(Metric.MetricName, r);
        if (value === null) continue;
        const bucket = start + Math.floor((r.time - start) / periodMs) * periodMs;
        const list = buckets.get(bucket) ?? [];
        list.push(value);
        buckets.set(bucket, list);
      }
    }
    const times = [...buckets.keys()].sort((a, b) => (descending ? b - a : a - b));
    return {
      Id: q.Id,
      Label: q.Label ?? Metric.MetricName,
      Timestamps: times.map((t) => t / 1000),
      Values: times.map((t) => statistic(Stat, buckets.get(t)!)),
      StatusCode: "Complete",
      Messages: [],
    };
  });
  return { MetricDataResults: results.filter((_, i) => (queries as Query[])[i].ReturnData !== false), Messages: [] };
}

/** Answers one CloudWatch call (already signature-checked). */
export function handleCloudWatch(state: EmulatorState, req: http.IncomingMessage, body: Buffer): { status: number; body: unknown } {
  const target = String(req.headers["x-amz-target"] ?? "");
  const operation = target.slice(CLOUDWATCH_TARGET_PREFIX.length);
  if (!String(req.headers["content-type"] ?? "").startsWith("application/x-amz-json-1.0"))
    throw new AwsError(400, "InvalidParameterValueException", "Content-Type must be application/x-amz-json-1.0.");
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body.toString("utf8") || "{}");
  } catch {
    throw new AwsError(400, "SerializationException", "The request body is not valid JSON.");
  }
  if (operation === "GetMetricData") return { status: 200, body: getMetricData(state, input) };
  throw new AwsError(400, "UnknownOperationException", `The operation ${operation} is not served by this emulator.`);
}

/** CloudWatch's JSON 1.0 error shape, with the query-compatible code header the SDK reads. */
export function sendCloudWatchError(res: http.ServerResponse, error: AwsError, requestId: string): void {
  res.writeHead(error.status, {
    "content-type": "application/x-amz-json-1.0",
    "x-amzn-requestid": requestId,
    "x-amzn-query-error": `${error.type.replace(/Exception$/, "")};${error.status >= 500 ? "Receiver" : "Sender"}`,
  });
  res.end(JSON.stringify({ __type: `com.amazonaws.cloudwatch#${error.type}`, message: error.message }));
}
