import { apiHandler, created, readJson } from "@/lib/api/handler";
import { createToken, createTokenSchema } from "@/lib/services/tokens/create-token";
import { listTokens } from "@/lib/services/tokens/list-tokens";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler({ permission: "tokens:own" }, async ({ ctx }) => ({ items: await listTokens(ctx) }));

export const POST = apiHandler({ permission: "tokens:own" }, async ({ req, ctx }) => {
  const { token, record } = await createToken(await readJson(req, createTokenSchema), ctx);
  return created({ ...record, token }, `/api/v1/tokens/${record.id}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
