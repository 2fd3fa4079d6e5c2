import { apiHandler, readJson } from "@/lib/api/handler";
import { generateAccessToken, generateAccessTokenSchema } from "@/lib/services/applications/generate-access-token";
import { otherMethods } from "@/lib/api/methods";

/** An access token for the application, as the portal generates it (the owner is authenticated). */
export const POST = apiHandler<{ id: string }>({ permission: "applications:write" }, async ({ req, ctx, params }) =>
  generateAccessToken(params.id, await readJson(req, generateAccessTokenSchema), ctx),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
