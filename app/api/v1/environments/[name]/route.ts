import { apiHandler, readJson } from "@/lib/api/handler";
import { can } from "@/lib/auth/permissions";
import { deleteEnvironment } from "@/lib/services/environments/delete-environment";
import { getEnvironment, getEnvironmentSummary } from "@/lib/services/environments/get-environment";
import { environmentBodySchema } from "@/lib/services/environments/schemas";
import { updateEnvironment } from "@/lib/services/environments/update-environment";
import { otherMethods } from "@/lib/api/methods";

type P = { name: string };

export const GET = apiHandler<P>({ permission: "environments:read" }, async ({ ctx, actor, params }) =>
  can(actor?.roles, "environments:write") ? getEnvironment(params.name, ctx) : getEnvironmentSummary(params.name, ctx),
);

export const PATCH = apiHandler<P>({ permission: "environments:write" }, async ({ req, ctx, params }) =>
  updateEnvironment(params.name, await readJson(req, environmentBodySchema), ctx),
);

export const DELETE = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) => {
  await deleteEnvironment(params.name, ctx);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
