import { apiHandler } from "@/lib/api/handler";
import { getAnalyticsTimeseries } from "@/lib/services/analytics/get-analytics-timeseries";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** The service validates the query (analyticsTimeseriesSchema) and scopes it to the caller. */
export const GET = apiHandler({}, async ({ req, ctx }) => getAnalyticsTimeseries(Object.fromEntries(new URL(req.url).searchParams), ctx));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
