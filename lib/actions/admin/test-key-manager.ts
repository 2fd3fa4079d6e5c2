"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { testKeyManager } from "@/lib/services/key-managers/test-key-manager";

export const testKeyManagerAction = adminAction(
  z.object({ id: z.string().min(1).max(64) }),
  async ({ id }, ctx) => {
    const result = await testKeyManager(id, ctx);
    revalidatePath("/admin/key-managers");
    return result;
  },
  { permission: "environments:write" },
);
