import { apiHandler } from "@/lib/api/handler";
import { getDeployment } from "@/lib/services/deployments/get-deployment";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler<{ id: string }>({ permission: "apis:read" }, async ({ ctx, params }) => getDeployment(params.id, ctx));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
