import { apiHandler, readJson } from "@/lib/api/handler";
import { deployInputSchema } from "@/lib/services/deployments/deploy-revision";
import { planDeployment } from "@/lib/services/deployments/plan-deployment";
import { otherMethods } from "@/lib/api/methods";

/** The native artifacts each environment would receive, and what it refuses; no side effect. */
export const POST = apiHandler<{ id: string }>({ permission: "apis:write" }, async ({ req, ctx, params }) => ({
  environments: await planDeployment(params.id, await readJson(req, deployInputSchema), ctx),
}));

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
