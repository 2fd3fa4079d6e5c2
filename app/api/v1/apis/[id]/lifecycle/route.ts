import { apiHandler, readJson } from "@/lib/api/handler";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { listLifecycleEvents } from "@/lib/services/apis/list-lifecycle-events";
import { lifecycleActionSchema } from "@/lib/services/apis/schemas";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ ctx, params }) => ({
  items: await listLifecycleEvents(params.id, ctx),
}));

export const POST = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) =>
  changeLifecycle(params.id, await readJson(req, lifecycleActionSchema), ctx),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
