import { apiHandler } from "@/lib/api/handler";
import { getSnapshotPropagation } from "@/lib/services/gateways/snapshot-propagation";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler<{ name: string }>({ permission: "environments:read" }, async ({ ctx, params }) =>
  getSnapshotPropagation(params.name, ctx),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
