import { apiHandler, created, readJson } from "@/lib/api/handler";
import { createRevision } from "@/lib/services/apis/create-revision";
import { listRevisions } from "@/lib/services/apis/list-revisions";
import { createRevisionSchema } from "@/lib/services/apis/schemas";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ ctx, params }) => listRevisions(params.id, ctx));

export const POST = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) => {
  const revision = await createRevision(params.id, await readJson(req, createRevisionSchema), ctx);
  return created(revision, `/api/v1/apis/${params.id}/revisions/${revision.id}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
