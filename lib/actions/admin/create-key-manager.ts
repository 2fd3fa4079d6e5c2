"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { createKeyManager } from "@/lib/services/key-managers/create-key-manager";

export const createKeyManagerAction = adminAction(
  z.unknown(),
  async (input, ctx) => {
    const keyManager = await createKeyManager(input, ctx);
    revalidatePath("/admin/key-managers");
    return keyManager;
  },
  { permission: "environments:write" },
);
