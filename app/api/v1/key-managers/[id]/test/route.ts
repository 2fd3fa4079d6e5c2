import { apiHandler } from "@/lib/api/handler";
import { otherMethods } from "@/lib/api/methods";
import { testKeyManager } from "@/lib/services/key-managers/test-key-manager";

/** Reads the discovery document and the JWKS again; a failed test is a 200 with ok: false. */
export const POST = apiHandler<{ id: string }>({ permission: "environments:write" }, async ({ ctx, params }) =>
  testKeyManager(params.id, ctx),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
