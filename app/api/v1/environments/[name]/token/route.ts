import { apiHandler } from "@/lib/api/handler";
import { revokeGatewayToken } from "@/lib/services/gateways/revoke-gateway-token";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";
import { otherMethods } from "@/lib/api/methods";

type P = { name: string };

/** Issues a new gateway token (returned once); the previous one stops working. */
export const POST = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) =>
  Response.json(await rotateGatewayToken(params.name, ctx), { status: 201, headers: { "cache-control": "no-store" } }),
);

export const DELETE = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) => {
  await revokeGatewayToken(params.name, ctx);
  return new Response(null, { status: 204 });
});

export const { GET, HEAD, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
