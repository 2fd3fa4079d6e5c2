import { apiHandler, readJson } from "@/lib/api/handler";
import { deleteApi } from "@/lib/services/apis/delete-api";
import { getApi } from "@/lib/services/apis/get-api";
import { apiSettingsSchema } from "@/lib/services/apis/schemas";
import { updateApi } from "@/lib/services/apis/update-api";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ ctx, params }) => getApi(params.id, ctx));

export const PATCH = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) =>
  updateApi(params.id, await readJson(req, apiSettingsSchema), ctx),
);

export const DELETE = apiHandler<P>({ permission: "apis:write" }, async ({ ctx, params }) => {
  await deleteApi(params.id, ctx);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
