import { apiHandler } from "@/lib/api/handler";
import { getJob } from "@/lib/services/jobs/get-job";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler<{ id: string }>({ permission: "apis:read" }, async ({ ctx, params }) => getJob(params.id, ctx));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
