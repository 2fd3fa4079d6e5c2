import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { driftMetrics } from "@/lib/services/drift/drift-metrics";

/** Prometheus text format, scraped with a personal access token (bearer). */
export const GET = apiHandler({ permission: "environments:read" }, async ({ ctx }) => {
  const { contentType, body } = await driftMetrics(ctx);
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
