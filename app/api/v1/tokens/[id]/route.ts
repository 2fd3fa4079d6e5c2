import { apiHandler } from "@/lib/api/handler";
import { revokeToken } from "@/lib/services/tokens/revoke-token";
import { otherMethods } from "@/lib/api/methods";

export const DELETE = apiHandler<{ id: string }>({ permission: "tokens:own" }, async ({ ctx, params }) => {
  await revokeToken(params.id, ctx);
  return new Response(null, { status: 204 });
});

export const { GET, HEAD, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
