import { apiHandler } from "@/lib/api/handler";
import { getCatalogApi } from "@/lib/services/catalog/get-catalog-api";

export const GET = apiHandler<{ apiId: string }>({ auth: "optional" }, async ({ ctx, params }) => getCatalogApi(params.apiId, ctx));
