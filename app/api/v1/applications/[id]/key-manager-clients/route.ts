import { z } from "zod";
import { apiHandler, created, readJson } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { createKeyManagerClient, listKeyManagerClients } from "@/lib/services/key-managers/key-manager-clients";

type P = { id: string };

export const GET = apiHandler<P>({ permission: "applications:write" }, async ({ ctx, params }) => listKeyManagerClients(params.id, ctx));

/** Registers a client at the key manager, or maps an existing one (clientId and clientSecret); the secret is returned once. */
export const POST = apiHandler<P>({ permission: "applications:write" }, async ({ req, ctx, params }) => {
  const client = await createKeyManagerClient(params.id, await readJson(req, z.unknown()), ctx);
  return created(client, `/api/v1/applications/${params.id}/key-manager-clients/${client.id}`);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
