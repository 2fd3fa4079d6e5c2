import { apiHandler, readJson } from "@/lib/api/handler";
import { can } from "@/lib/auth/permissions";
import { deleteEnvironment } from "@/lib/services/environments/delete-environment";
import { getEnvironment, getEnvironmentSummary } from "@/lib/services/environments/get-environment";
import { environmentBodySchema } from "@/lib/services/environments/schemas";
import { updateEnvironment } from "@/lib/services/environments/update-environment";
import { otherMethods } from "@/lib/api/methods";
import { environmentDriftCounts } from "@/lib/services/drift/get-drift";

type P = { name: string };

export const GET = apiHandler<P>({ permission: "environments:read" }, async ({ ctx, actor, params }) => {
  const env = can(actor?.roles, "environments:write")
    ? await getEnvironment(params.name, ctx)
    : await getEnvironmentSummary(params.name, ctx);
  return { ...env, drift: await environmentDriftCounts(env.id) };
});

export const PATCH = apiHandler<P>({ permission: "environments:write" }, async ({ req, ctx, params }) =>
  updateEnvironment(params.name, await readJson(req, environmentBodySchema), ctx),
);

export const DELETE = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) => {
  await deleteEnvironment(params.name, ctx);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
