"use server";

import { publicAction } from "@/lib/actions/client";
import { signUpSchema } from "@/lib/services/users/schemas";
import { signUp } from "@/lib/services/users/sign-up";

export const signUpAction = publicAction(signUpSchema, async (input, ctx) => {
  const user = await signUp(input, ctx);
  return { email: user.email };
});
