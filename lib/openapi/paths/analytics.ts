import { METRIC_KEYS } from "@/lib/domain/analytics/metrics";
import { ANALYTICS_DIMENSIONS, ANALYTICS_INTERVALS, ANALYTICS_SCOPES, STATUS_CLASSES } from "@/lib/services/analytics/schemas";
import { authErrors, json, queryParam, ref, type Json } from "../helpers";

const nullableNumber = { type: ["number", "null"] };
const metricDescriptions: Partial<Record<(typeof METRIC_KEYS)[number], string>> = {
  errors: "Responses with status ≥ 400.",
  errorRate: "errors / requests (0 when there are no requests).",
  latencyP50Ms:
    "From the merged latency histogram (fixed buckets), interpolated within the bucket: within one bucket's width of the true value.",
  latencyP95Ms: "As latencyP50Ms.",
  latencyP99Ms: "As latencyP50Ms.",
  upstreamLatencyAvgMs: "Average over proxied requests only.",
};
const metricProperties: Json = Object.fromEntries(
  METRIC_KEYS.map((k) => [
    k,
    {
      ...(k.endsWith("Ms") ? nullableNumber : { type: "number" }),
      ...(metricDescriptions[k] ? { description: metricDescriptions[k] } : {}),
    },
  ]),
);

const filterParams: Json[] = [
  queryParam(
    "from",
    { type: "string", format: "date-time" },
    "Start (ISO 8601 or epoch ms); default 24 hours before `to`. Widened to the start of its bucket.",
  ),
  queryParam("to", { type: "string", format: "date-time" }, "End (exclusive); default now. Widened to the end of its bucket."),
  queryParam("environment", { type: "string" }, "Environment name."),
  queryParam("region", { type: "string" }, "Gateway region; empty for events without one."),
  queryParam("apiId", { type: "string" }),
  queryParam("applicationId", { type: "string" }),
  queryParam("operation", { type: "string", examples: ["GET /pets/{id}"] }, "`METHOD /template` of the matched operation."),
  queryParam("statusClass", { type: "string", enum: [...STATUS_CLASSES] }),
  queryParam(
    "scope",
    { type: "string", enum: [...ANALYTICS_SCOPES] },
    "`all` (admins), `publisher` (the caller's APIs), `consumer` (the caller's applications). Default: everything for admins, otherwise the caller's APIs and applications.",
  ),
];

const rangeProperties: Json = {
  from: { type: "string", format: "date-time" },
  to: { type: "string", format: "date-time" },
  interval: { type: "string", enum: [...ANALYTICS_INTERVALS] },
  scope: { type: "string", enum: [...ANALYTICS_SCOPES, "mine"] },
};

export const analyticsSchemas: Record<string, Json> = {
  AnalyticsMetrics: { type: "object", properties: metricProperties },
  AnalyticsGroup: {
    allOf: [
      ref("AnalyticsMetrics"),
      {
        type: "object",
        properties: {
          key: { type: "string", description: "The dimension's value ('' for none); for operations `apiId METHOD /template`." },
          label: { type: "string" },
          apiId: { type: "string" },
        },
      },
    ],
  },
  AnalyticsPoint: {
    allOf: [
      ref("AnalyticsMetrics"),
      { type: "object", properties: { time: { type: "string", format: "date-time", description: "Bucket start (UTC)." } } },
    ],
  },
  AnalyticsSummary: {
    type: "object",
    properties: {
      ...rangeProperties,
      totals: ref("AnalyticsMetrics"),
      breakdowns: {
        type: "object",
        description: "One list per groupBy dimension, largest first.",
        additionalProperties: { type: "array", items: ref("AnalyticsGroup") },
      },
    },
  },
  AnalyticsTimeseries: {
    type: "object",
    properties: {
      ...rangeProperties,
      groupBy: { type: ["string", "null"], enum: [...ANALYTICS_DIMENSIONS, null] },
      points: { type: "array", items: ref("AnalyticsPoint"), description: "Every bucket of the range, empty ones included." },
      series: {
        type: "array",
        items: {
          type: "object",
          properties: { key: { type: "string" }, label: { type: "string" }, points: { type: "array", items: ref("AnalyticsPoint") } },
        },
      },
    },
  },
};

export const analyticsPaths: Record<string, Json> = {
  "/api/v1/analytics/summary": {
    get: {
      operationId: "getAnalyticsSummary",
      tags: ["analytics"],
      summary: "Totals and breakdowns of gateway traffic over a time range, limited to what the caller may see",
      description:
        "Events are counted once whether they are rolled up yet or not. Ranges up to 3 hours use minute buckets, up to 8 days hour buckets, beyond that days (UTC); the range is widened to whole buckets.",
      parameters: [
        ...filterParams,
        queryParam(
          "groupBy",
          { type: "string", examples: ["apiId,operation,applicationId"] },
          `Comma-separated breakdowns: ${ANALYTICS_DIMENSIONS.join(", ")}.`,
        ),
        queryParam("limit", { type: "integer", minimum: 1, maximum: 100, default: 10 }, "Groups per breakdown."),
      ],
      responses: { "200": json("Summary", ref("AnalyticsSummary")), ...authErrors },
    },
  },
  "/api/v1/analytics/timeseries": {
    get: {
      operationId: "getAnalyticsTimeseries",
      tags: ["analytics"],
      summary: "Traffic per time bucket, optionally per group, limited to what the caller may see",
      parameters: [
        ...filterParams,
        queryParam(
          "interval",
          { type: "string", enum: [...ANALYTICS_INTERVALS] },
          "Default by span: minute up to 3 hours, hour up to 8 days, day beyond. A minute interval covers at most 2 days, an hour 93 days.",
        ),
        queryParam("groupBy", { type: "string", enum: [...ANALYTICS_DIMENSIONS] }, "A series per group, for the largest `limit` groups."),
        queryParam("limit", { type: "integer", minimum: 1, maximum: 20, default: 5 }),
      ],
      responses: { "200": json("Time series", ref("AnalyticsTimeseries")), ...authErrors },
    },
  },
};
