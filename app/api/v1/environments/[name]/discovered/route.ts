import { apiHandler } from "@/lib/api/handler";
import { listDiscovered } from "@/lib/services/discovery/list-discovered";

export const GET = apiHandler<{ name: string }>({ permission: "environments:read" }, async ({ ctx, params }) => listDiscovered(params.name, ctx));
