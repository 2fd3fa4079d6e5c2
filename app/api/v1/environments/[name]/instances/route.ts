import { apiHandler } from "@/lib/api/handler";
import { listGatewayInstances } from "@/lib/services/gateways/list-instances";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler<{ name: string }>({ permission: "environments:read" }, async ({ ctx, params }) =>
  listGatewayInstances(params.name, ctx),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
