import { apiHandler, created, readQuery } from "@/lib/api/handler";
import { createApi } from "@/lib/services/apis/create-api";
import { readCreateApiBody } from "@/lib/services/apis/definition-body";
import { listApis } from "@/lib/services/apis/list-apis";
import { listApisSchema } from "@/lib/services/apis/schemas";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler({ permission: "apis:read" }, async ({ req, ctx }) => listApis(readQuery(req, listApisSchema), ctx));

export const POST = apiHandler({ permission: "apis:write" }, async ({ req, ctx }) => {
  const api = await createApi((await readCreateApiBody(req)) as never, ctx);
  return created(api, `/api/v1/apis/${api.id}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
