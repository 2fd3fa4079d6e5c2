import { z } from "zod";
import { apiHandler, created, readJson } from "@/lib/api/handler";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { keyTypeSchema } from "@/lib/services/applications/schemas";
import { otherMethods } from "@/lib/api/methods";

/** Creates the OAuth2 client of a key type or regenerates its secret: the secret is in this answer only. */
export const POST = apiHandler<{ id: string }>({ permission: "applications:write" }, async ({ req, ctx, params }) => {
  const input = await readJson(req, z.object({ keyType: keyTypeSchema }));
  return created(await generateClientCredentials(params.id, input, ctx));
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
