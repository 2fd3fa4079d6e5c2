import { apiHandler } from "@/lib/api/handler";
import { revokeApiKey } from "@/lib/services/applications/api-keys";
import { otherMethods } from "@/lib/api/methods";

export const DELETE = apiHandler<{ id: string; keyId: string }>({ permission: "applications:write" }, async ({ ctx, params }) => {
  await revokeApiKey(params.id, params.keyId, ctx);
  return new Response(null, { status: 204 });
});

export const { GET, HEAD, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
