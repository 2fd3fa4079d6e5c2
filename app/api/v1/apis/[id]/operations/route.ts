import { apiHandler, readJson, readQuery } from "@/lib/api/handler";
import { listOperations } from "@/lib/services/apis/list-operations";
import { listOperationsSchema, operationPolicySchema } from "@/lib/services/apis/schemas";
import { updateOperationPolicy } from "@/lib/services/apis/update-operation";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ req, ctx, params }) =>
  listOperations(params.id, readQuery(req, listOperationsSchema), ctx),
);

/** Sets one operation's security and rate limit overrides (null follows the API). */
export const PATCH = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) =>
  updateOperationPolicy(params.id, await readJson(req, operationPolicySchema), ctx),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
