"use server";

import { revalidatePath } from "next/cache";
import { accountAction } from "@/lib/actions/client";
import { createToken, createTokenSchema } from "@/lib/services/tokens/create-token";

export const createTokenAction = accountAction(createTokenSchema, async (input, ctx) => {
  const result = await createToken(input, ctx);
  revalidatePath("/account/tokens");
  return result;
});
