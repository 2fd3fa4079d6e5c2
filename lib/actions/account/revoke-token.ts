"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accountAction } from "@/lib/actions/client";
import { revokeToken } from "@/lib/services/tokens/revoke-token";

export const revokeTokenAction = accountAction(z.object({ id: z.string().min(1).max(64) }), async ({ id }, ctx) => {
  await revokeToken(id, ctx);
  revalidatePath("/account/tokens");
  return { id };
});
