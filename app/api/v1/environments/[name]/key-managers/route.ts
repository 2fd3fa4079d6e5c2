import { z } from "zod";
import { apiHandler, readJson } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { getEnvironmentKeyManagers, setEnvironmentKeyManagers } from "@/lib/services/key-managers/environment-key-managers";

type P = { name: string };

export const GET = apiHandler<P>({ permission: "environments:write" }, async ({ ctx, params }) =>
  getEnvironmentKeyManagers(params.name, ctx),
);

/** Restricts the key managers the environment's gateways trust; an empty list lifts the restriction. */
export const PUT = apiHandler<P>({ permission: "environments:write" }, async ({ req, ctx, params }) =>
  setEnvironmentKeyManagers(params.name, await readJson(req, z.unknown()), ctx),
);

export const { POST, PATCH, DELETE, OPTIONS } = otherMethods("GET", "PUT");
