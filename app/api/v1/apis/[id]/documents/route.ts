import { apiHandler, created, readJson } from "@/lib/api/handler";
import { createDocument } from "@/lib/services/apis/create-document";
import { listDocuments } from "@/lib/services/apis/list-documents";
import { createDocumentSchema } from "@/lib/services/apis/schemas";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ ctx, params }) => ({ items: await listDocuments(params.id, ctx) }));

export const POST = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) => {
  const document = await createDocument(params.id, await readJson(req, createDocumentSchema), ctx);
  return created(document, `/api/v1/apis/${params.id}/documents/${document.id}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
