import { apiHandler, readJson } from "@/lib/api/handler";
import { deleteDocument } from "@/lib/services/apis/delete-document";
import { getDocument } from "@/lib/services/apis/list-documents";
import { updateDocumentSchema } from "@/lib/services/apis/schemas";
import { updateDocument } from "@/lib/services/apis/update-document";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string; documentId: string };

export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ ctx, params }) => getDocument(params.id, params.documentId, ctx));

export const PATCH = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) =>
  updateDocument(params.id, params.documentId, await readJson(req, updateDocumentSchema), ctx),
);

export const DELETE = apiHandler<P>({ permission: "apis:write" }, async ({ ctx, params }) => {
  await deleteDocument(params.id, params.documentId, ctx);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
