import { z } from "zod";
import { apiHandler, readJson } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { deleteKeyManager } from "@/lib/services/key-managers/delete-key-manager";
import { getKeyManager } from "@/lib/services/key-managers/get-key-manager";
import { updateKeyManager } from "@/lib/services/key-managers/update-key-manager";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) => getKeyManager(params.id, ctx));

export const PATCH = apiHandler<P>({ permission: "environments:write" }, async ({ req, ctx, params }) =>
  updateKeyManager(params.id, await readJson(req, z.unknown()), ctx),
);

export const DELETE = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) => {
  await deleteKeyManager(params.id, ctx);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
