import { apiHandler, created, readJson } from "@/lib/api/handler";
import { can } from "@/lib/auth/permissions";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import { listEnvironments, listEnvironmentSummaries } from "@/lib/services/environments/get-environment";
import { environmentBodySchema } from "@/lib/services/environments/schemas";
import { otherMethods } from "@/lib/api/methods";

// Admins get the masked config and health; publishers (who pick deployment targets) a summary.
export const GET = apiHandler({ permission: "environments:read" }, async ({ ctx, actor }) => ({
  items: can(actor?.roles, "environments:write") ? await listEnvironments(ctx) : await listEnvironmentSummaries(ctx),
}));

export const POST = apiHandler({ permission: "environments:write" }, async ({ req, ctx }) => {
  const environment = await createEnvironment(await readJson(req, environmentBodySchema), ctx);
  return created(environment, `/api/v1/environments/${environment.name}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
