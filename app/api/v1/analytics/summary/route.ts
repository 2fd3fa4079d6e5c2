import { apiHandler } from "@/lib/api/handler";
import { getAnalyticsSummary } from "@/lib/services/analytics/get-analytics-summary";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** The service validates the query (analyticsSummarySchema) and scopes it to the caller. */
export const GET = apiHandler({}, async ({ req, ctx }) => getAnalyticsSummary(Object.fromEntries(new URL(req.url).searchParams), ctx));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
