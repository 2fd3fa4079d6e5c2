import { apiHandler } from "@/lib/api/handler";
import { undeployApi } from "@/lib/services/deployments/undeploy-api";

export const DELETE = apiHandler<{ id: string; environment: string }>({ permission: "apis:write" }, async ({ ctx, params }) => {
  await undeployApi(params.id, params.environment, ctx);
  return new Response(null, { status: 204 });
});
