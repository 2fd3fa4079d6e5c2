import { apiHandler, readJson } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { createGatewayToken, createGatewayTokenSchema } from "@/lib/services/gateways/create-gateway-token";
import { listGatewayTokens } from "@/lib/services/gateways/list-gateway-tokens";

type P = { name: string };

/** The environment's named gateway tokens, each with the instances using it (never the secrets). */
export const GET = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) => listGatewayTokens(params.name, ctx));

/** Issues a named gateway token (returned once) beside the environment's other tokens. */
export const POST = apiHandler<P>({ permission: "environments:write" }, async ({ req, ctx, params }) => {
  const input = await readJson(req, createGatewayTokenSchema);
  return Response.json(await createGatewayToken(params.name, input, ctx), { status: 201, headers: { "cache-control": "no-store" } });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
