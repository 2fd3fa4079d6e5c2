import { apiHandler } from "@/lib/api/handler";
import { getSnapshotPropagation } from "@/lib/services/gateways/snapshot-propagation";

export const GET = apiHandler<{ name: string }>({ permission: "environments:read" }, async ({ ctx, params }) => getSnapshotPropagation(params.name, ctx));
