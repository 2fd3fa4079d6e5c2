import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { reapplyDeployment } from "@/lib/services/drift/reapply-deployment";

/** Deploys again the revision Meridian last applied: 202 with the deployment to follow. */
export const POST = apiHandler<{ id: string }>({ permission: "apis:write" }, async ({ ctx, params }) => {
  const row = await reapplyDeployment(params.id, ctx);
  return Response.json(
    { id: row.id, status: row.status, jobId: row.jobId ?? null },
    { status: 202, headers: { location: `/api/v1/deployments/${row.id}` } },
  );
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
