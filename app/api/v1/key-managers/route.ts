import { z } from "zod";
import { apiHandler, created, readJson } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { createKeyManager } from "@/lib/services/key-managers/create-key-manager";
import { listKeyManagers } from "@/lib/services/key-managers/get-key-manager";

export const GET = apiHandler({ permission: "environments:read" }, async ({ req, ctx }) =>
  listKeyManagers(Object.fromEntries(new URL(req.url).searchParams), ctx),
);

export const POST = apiHandler({ permission: "environments:write" }, async ({ req, ctx }) => {
  const keyManager = await createKeyManager(await readJson(req, z.unknown()), ctx);
  return created(keyManager, `/api/v1/key-managers/${keyManager.id}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
