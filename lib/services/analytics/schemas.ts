import { z } from "zod";

export const ANALYTICS_DIMENSIONS = ["environment", "region", "apiId", "operation", "applicationId", "statusClass"] as const;
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];

export const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export const ANALYTICS_INTERVALS = ["minute", "hour", "day"] as const;
export type AnalyticsInterval = (typeof ANALYTICS_INTERVALS)[number];

/**
 * Whose traffic: `all` (admins), `publisher` (the caller's APIs; every API for admins),
 * `consumer` (the caller's applications). Absent: everything for admins, otherwise the
 * caller's APIs and applications together.
 */
export const ANALYTICS_SCOPES = ["all", "publisher", "consumer"] as const;
export type AnalyticsScope = (typeof ANALYTICS_SCOPES)[number];

/** Query strings arrive as strings; dates as ISO 8601 or epoch milliseconds. */
const instant = z.preprocess(
  (v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
  z.coerce.date({ error: "Use an ISO 8601 date-time." }),
);
const text = z.string().trim().min(1).max(300);

const filters = {
  from: instant.optional(),
  to: instant.optional(),
  environment: text.optional(),
  region: text.optional(),
  apiId: text.optional(),
  applicationId: text.optional(),
  operation: text.optional(),
  statusClass: z.enum(STATUS_CLASSES).optional(),
  scope: z.enum(ANALYTICS_SCOPES).optional(),
};

export const analyticsSummarySchema = z.object({
  ...filters,
  /** Breakdowns to return beside the totals, comma-separated. */
  groupBy: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list = (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const d of list) {
        if (!(ANALYTICS_DIMENSIONS as readonly string[]).includes(d)) {
          ctx.addIssue({ code: "custom", message: `Unknown dimension ${d}: use ${ANALYTICS_DIMENSIONS.join(", ")}.` });
          return z.NEVER;
        }
      }
      return [...new Set(list)] as AnalyticsDimension[];
    }),
  /** Groups per breakdown, largest first. */
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export type AnalyticsSummaryInput = z.input<typeof analyticsSummarySchema>;

export const analyticsTimeseriesSchema = z.object({
  ...filters,
  interval: z.enum(ANALYTICS_INTERVALS).optional(),
  /** One dimension: a series per group (the largest `limit`) beside the totals. */
  groupBy: z.enum(ANALYTICS_DIMENSIONS).optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export type AnalyticsTimeseriesInput = z.input<typeof analyticsTimeseriesSchema>;
