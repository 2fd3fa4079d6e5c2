import { apiHandler } from "@/lib/api/handler";
import { restoreRevision } from "@/lib/services/apis/restore-revision";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string; revisionId: string };

export const POST = apiHandler<P>({ permission: "apis:write" }, async ({ ctx, params }) =>
  restoreRevision(params.id, params.revisionId, ctx),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
