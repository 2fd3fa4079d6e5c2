"use server";

import { publicAction } from "@/lib/actions/client";
import { acceptInvitation } from "@/lib/services/users/accept-invitation";
import { acceptInvitationSchema } from "@/lib/services/users/schemas";

export const acceptInvitationAction = publicAction(acceptInvitationSchema, async (input, ctx) => {
  const user = await acceptInvitation(input, ctx);
  return { email: user.email };
});
