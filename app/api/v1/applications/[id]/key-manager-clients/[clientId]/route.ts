import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { deleteKeyManagerClient } from "@/lib/services/key-managers/key-manager-clients";

type P = { id: string; clientId: string };

/** Deletes the client at the provider (registered ones) and the mapping. */
export const DELETE = apiHandler<P>({ permission: "applications:write" }, async ({ ctx, params }) => {
  await deleteKeyManagerClient(params.id, params.clientId, ctx);
  return new Response(null, { status: 204 });
});

export const { GET, HEAD, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
