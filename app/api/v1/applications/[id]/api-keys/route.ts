import { apiHandler, created, readJson } from "@/lib/api/handler";
import { createApiKey, listApiKeys } from "@/lib/services/applications/api-keys";
import { apiKeyInputSchema } from "@/lib/services/applications/schemas";
import { otherMethods } from "@/lib/api/methods";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "applications:write" }, async ({ ctx, params }) => ({
  items: await listApiKeys(params.id, ctx),
}));

/** The key is in this answer only; Meridian keeps its hash. */
export const POST = apiHandler<P>({ permission: "applications:write" }, async ({ req, ctx, params }) => {
  const { key, record } = await createApiKey(params.id, await readJson(req, apiKeyInputSchema), ctx);
  return created({ ...record, key }, `/api/v1/applications/${params.id}/api-keys/${record.id}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
