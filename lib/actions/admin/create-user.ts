"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/actions/client";
import { config } from "@/lib/config";
import { createUser } from "@/lib/services/users/create-user";
import { createUserSchema } from "@/lib/services/users/schemas";

export const createUserAction = adminAction(
  createUserSchema,
  async (input, ctx) => {
    const { user, invitationToken } = await createUser(input, ctx);
    revalidatePath("/admin/users");
    return { user, invitationUrl: invitationToken ? `${config.publicUrl}/invite/${invitationToken}` : null };
  },
  { permission: "users:write" },
);
