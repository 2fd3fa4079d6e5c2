import { apiHandler, readJson } from "@/lib/api/handler";
import { deleteApplication } from "@/lib/services/applications/delete-application";
import { getApplicationDetail } from "@/lib/services/applications/get-application-detail";
import { applicationPatchSchema } from "@/lib/services/applications/schemas";
import { updateApplication } from "@/lib/services/applications/update-application";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "applications:write" }, async ({ ctx, params }) => getApplicationDetail(params.id, ctx));

export const PATCH = apiHandler<P>({ permission: "applications:write" }, async ({ req, ctx, params }) =>
  updateApplication(params.id, await readJson(req, applicationPatchSchema), ctx),
);

export const DELETE = apiHandler<P>({ permission: "applications:write" }, async ({ ctx, params }) => {
  await deleteApplication(params.id, ctx);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
