import { apiHandler, created, readJson } from "@/lib/api/handler";
import { createApiVersion } from "@/lib/services/apis/create-api-version";
import { createApiVersionSchema } from "@/lib/services/apis/schemas";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

/** A new version of this API: a copy under a new version; the original is untouched. */
export const POST = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) => {
  const api = await createApiVersion(params.id, await readJson(req, createApiVersionSchema), ctx);
  return created(api, `/api/v1/apis/${api.id}`);
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
