import { apiHandler } from "@/lib/api/handler";
import { listDiscovered } from "@/lib/services/discovery/list-discovered";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler<{ name: string }>({ permission: "environments:read" }, async ({ ctx, params }) =>
  listDiscovered(params.name, ctx),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
