import { apiHandler, created, readJson, readQuery } from "@/lib/api/handler";
import { createTier } from "@/lib/services/tiers/create-tier";
import { listTiers } from "@/lib/services/tiers/list-tiers";
import { createTierSchema, tierKindQuerySchema } from "@/lib/services/tiers/schemas";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler({}, async ({ req, ctx }) => ({ items: await listTiers(readQuery(req, tierKindQuerySchema).kind, ctx) }));

export const POST = apiHandler({ permission: "tiers:write" }, async ({ req, ctx }) => {
  const tier = await createTier(await readJson(req, createTierSchema), ctx);
  return created(tier, `/api/v1/tiers/${encodeURIComponent(tier.name)}${tier.kind === "subscription" ? "" : `?kind=${tier.kind}`}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
