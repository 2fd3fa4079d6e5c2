import { apiHandler } from "@/lib/api/handler";
import { getDeployment } from "@/lib/services/deployments/get-deployment";

export const GET = apiHandler<{ id: string }>({ permission: "apis:read" }, async ({ ctx, params }) => getDeployment(params.id, ctx));
