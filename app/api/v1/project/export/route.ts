import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { exportProject } from "@/lib/services/project/export-project";

export const GET = apiHandler({ permission: "apis:read" }, async ({ req, ctx }) =>
  exportProject({ api: new URL(req.url).searchParams.getAll("api") }, ctx),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
