import { apiHandler } from "@/lib/api/handler";
import { importDiscovered } from "@/lib/services/discovery/import-discovered";
import { otherMethods } from "@/lib/api/methods";

/** Imports a discovered API (201), or updates the API imported from it before (200). */
export const POST = apiHandler<{ name: string; discoveredId: string }>({ permission: "apis:write" }, async ({ ctx, params }) => {
  const result = await importDiscovered(params.name, params.discoveredId, ctx);
  return Response.json(result, { status: result.created ? 201 : 200 });
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
