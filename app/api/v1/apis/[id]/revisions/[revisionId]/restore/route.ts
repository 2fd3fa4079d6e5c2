import { apiHandler } from "@/lib/api/handler";
import { restoreRevision } from "@/lib/services/apis/restore-revision";

type P = { id: string; revisionId: string };

export const POST = apiHandler<P>({ permission: "apis:write" }, async ({ ctx, params }) => restoreRevision(params.id, params.revisionId, ctx));
