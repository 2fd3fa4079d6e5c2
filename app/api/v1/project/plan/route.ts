import { apiHandler, readJson } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { planProject, projectBodySchema } from "@/lib/services/project/plan-project";

export const POST = apiHandler({ permission: "apis:write" }, async ({ req, ctx }) =>
  planProject(await readJson(req, projectBodySchema), ctx),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
