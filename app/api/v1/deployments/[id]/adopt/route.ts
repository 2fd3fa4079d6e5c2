import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { adoptLive } from "@/lib/services/drift/adopt-live";

/** Makes what runs on the gateway a new revision of the API, deployed there. */
export const POST = apiHandler<{ id: string }>({ permission: "apis:write" }, async ({ ctx, params }) => {
  const { revisionId, revisionNumber, deployment } = await adoptLive(params.id, ctx);
  return { revisionId, revisionNumber, deploymentId: deployment.id };
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
