import { apiHandler } from "@/lib/api/handler";
import { listCatalogDocuments } from "@/lib/services/catalog/get-catalog-api";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler<{ apiId: string }>({ auth: "optional" }, async ({ ctx, params }) => ({
  items: await listCatalogDocuments(params.apiId, ctx),
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
