import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { rotateKeyManagerClient } from "@/lib/services/key-managers/key-manager-clients";

type P = { id: string; clientId: string };

export const POST = apiHandler<P>({ permission: "applications:write" }, async ({ ctx, params }) =>
  rotateKeyManagerClient(params.id, params.clientId, ctx),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
