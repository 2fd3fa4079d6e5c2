import { apiHandler } from "@/lib/api/handler";
import { listGatewayInstances } from "@/lib/services/gateways/list-instances";

export const GET = apiHandler<{ name: string }>({ permission: "environments:read" }, async ({ ctx, params }) => listGatewayInstances(params.name, ctx));
