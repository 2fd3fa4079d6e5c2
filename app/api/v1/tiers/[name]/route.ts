import { apiHandler, readJson, readQuery } from "@/lib/api/handler";
import { deleteTier } from "@/lib/services/tiers/delete-tier";
import { getTier } from "@/lib/services/tiers/list-tiers";
import { tierKindQuerySchema, updateTierSchema } from "@/lib/services/tiers/schemas";
import { updateTier } from "@/lib/services/tiers/update-tier";
import { otherMethods } from "@/lib/api/methods";

type P = { name: string };

// ?kind=application or ?kind=api addresses policies; without it, subscription tiers.
export const GET = apiHandler<P>({}, async ({ req, ctx, params }) => getTier(readQuery(req, tierKindQuerySchema).kind, params.name, ctx));

export const PATCH = apiHandler<P>({ permission: "tiers:write" }, async ({ req, ctx, params }) =>
  updateTier(readQuery(req, tierKindQuerySchema).kind, params.name, await readJson(req, updateTierSchema), ctx),
);

export const DELETE = apiHandler<P>({ permission: "tiers:write" }, async ({ req, ctx, params }) => {
  await deleteTier(readQuery(req, tierKindQuerySchema).kind, params.name, ctx);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
