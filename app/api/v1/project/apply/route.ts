import { apiHandler, readJson } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { applyProject } from "@/lib/services/project/apply-project";
import { MAX_PROJECT_BODY_BYTES, projectBodySchema } from "@/lib/services/project/plan-project";

export const POST = apiHandler({ permission: "apis:write" }, async ({ req, ctx }) =>
  applyProject(await readJson(req, projectBodySchema, { maxBytes: MAX_PROJECT_BODY_BYTES }), ctx),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
