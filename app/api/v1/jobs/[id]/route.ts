import { apiHandler } from "@/lib/api/handler";
import { getJob } from "@/lib/services/jobs/get-job";

export const GET = apiHandler<{ id: string }>({ permission: "apis:read" }, async ({ ctx, params }) => getJob(params.id, ctx));
