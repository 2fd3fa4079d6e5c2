import { apiHandler } from "@/lib/api/handler";
import { discoverEnvironment } from "@/lib/services/discovery/discover-environment";
import { otherMethods } from "@/lib/api/methods";

/** Queues a discovery (or returns the one in progress): 202 with the job to follow at /api/v1/jobs/{id}. */
export const POST = apiHandler<{ name: string }>({ permission: "environments:write" }, async ({ ctx, params }) => {
  const job = await discoverEnvironment(params.name, ctx);
  return Response.json({ jobId: job.id, status: job.status }, { status: 202, headers: { location: `/api/v1/jobs/${job.id}` } });
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
