import { apiHandler, readQuery } from "@/lib/api/handler";
import { listCatalog } from "@/lib/services/catalog/list-catalog";
import { listCatalogSchema } from "@/lib/services/catalog/schemas";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler({ auth: "optional" }, async ({ req, ctx }) => listCatalog(readQuery(req, listCatalogSchema), ctx));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
