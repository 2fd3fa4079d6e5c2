"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { updateUserSchema } from "@/lib/services/users/schemas";
import { updateUser } from "@/lib/services/users/update-user";

export const updateUserAction = adminAction(
  z.object({ id: z.string().min(1).max(64), patch: updateUserSchema }),
  async ({ id, patch }, ctx) => {
    const user = await updateUser(id, patch, ctx);
    revalidatePath("/admin/users");
    return user;
  },
  { permission: "users:write" },
);
