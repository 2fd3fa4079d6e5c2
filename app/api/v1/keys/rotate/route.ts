import { apiHandler } from "@/lib/api/handler";
import { rotateSigningKey } from "@/lib/services/keys/signing-keys";
import { otherMethods } from "@/lib/api/methods";

/** Rotates the key manager's signing key (admin). Old keys stay published until their tokens expire. */
export const POST = apiHandler({ permission: "settings:write" }, async ({ ctx }) => rotateSigningKey(ctx));

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
