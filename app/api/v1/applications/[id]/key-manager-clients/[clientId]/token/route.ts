import { z } from "zod";
import { apiHandler, readJson } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { requestKeyManagerToken } from "@/lib/services/key-managers/key-manager-clients";

type P = { id: string; clientId: string };

/** Gets an access token from the key manager for this client (Try it). */
export const POST = apiHandler<P>({ permission: "applications:write" }, async ({ req, ctx, params }) =>
  requestKeyManagerToken(params.id, params.clientId, await readJson(req, z.unknown()), ctx),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
