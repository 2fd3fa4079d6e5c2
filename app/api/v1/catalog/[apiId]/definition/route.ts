import { apiHandler } from "@/lib/api/handler";
import { getCatalogDefinition } from "@/lib/services/catalog/get-catalog-api";
import { otherMethods } from "@/lib/api/methods";

/** The OpenAPI document with the gateway URLs as `servers`, as a download. */
export const GET = apiHandler<{ apiId: string }>({ auth: "optional" }, async ({ ctx, params }) => {
  const { document, fileName } = await getCatalogDefinition(params.apiId, ctx);
  return new Response(JSON.stringify(document, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
