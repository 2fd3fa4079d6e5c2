import { apiHandler } from "@/lib/api/handler";
import { listCatalogDocuments } from "@/lib/services/catalog/get-catalog-api";

export const GET = apiHandler<{ apiId: string }>({ auth: "optional" }, async ({ ctx, params }) => ({ items: await listCatalogDocuments(params.apiId, ctx) }));
