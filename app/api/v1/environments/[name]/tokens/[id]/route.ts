import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { revokeGatewayTokenById } from "@/lib/services/gateways/revoke-gateway-token-by-id";

type P = { name: string; id: string };

/** Revokes one named gateway token: only the gateways using it are cut off. */
export const DELETE = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) => {
  await revokeGatewayTokenById(params.name, params.id, ctx);
  return new Response(null, { status: 204 });
});

export const { GET, HEAD, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
