import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { listEnvironmentDrift } from "@/lib/services/drift/get-drift";
import { checkEnvironmentDrift } from "@/lib/services/drift/queue-drift-check";

type P = { name: string };

/** Drift of every push deployment there (admin), with counts. */
export const GET = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) => listEnvironmentDrift(params.name, ctx));

/** Checks every deployment there now: 202 with the job to follow at /api/v1/jobs/{id}. */
export const POST = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) => {
  const job = await checkEnvironmentDrift(params.name, ctx);
  return Response.json({ jobId: job.id, status: job.status }, { status: 202, headers: { location: `/api/v1/jobs/${job.id}` } });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
