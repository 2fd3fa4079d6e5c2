"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { deleteKeyManager } from "@/lib/services/key-managers/delete-key-manager";

export const deleteKeyManagerAction = adminAction(
  z.object({ id: z.string().min(1).max(64) }),
  async ({ id }, ctx) => {
    await deleteKeyManager(id, ctx);
    revalidatePath("/admin/key-managers");
    return { id };
  },
  { permission: "environments:write" },
);
