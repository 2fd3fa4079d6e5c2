import { apiHandler } from "@/lib/api/handler";
import { deleteRevision } from "@/lib/services/apis/delete-revision";
import { getRevision } from "@/lib/services/apis/list-revisions";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string; revisionId: string };

export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ ctx, params }) => getRevision(params.id, params.revisionId, ctx));

export const DELETE = apiHandler<P>({ permission: "apis:write" }, async ({ ctx, params }) => {
  await deleteRevision(params.id, params.revisionId, ctx);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");
