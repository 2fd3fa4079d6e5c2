import { z } from "zod";
import { apiHandler, readJson } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { getApiKeyManagers, setApiKeyManagers } from "@/lib/services/key-managers/api-key-managers";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "apis:read" }, async ({ ctx, params }) => getApiKeyManagers(params.id, ctx));

export const PUT = apiHandler<P>({ permission: "apis:write" }, async ({ req, ctx, params }) =>
  setApiKeyManagers(params.id, await readJson(req, z.unknown()), ctx),
);

export const { POST, PATCH, DELETE, OPTIONS } = otherMethods("GET", "PUT");
