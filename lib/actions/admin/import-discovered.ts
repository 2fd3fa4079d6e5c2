"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { importDiscovered } from "@/lib/services/discovery/import-discovered";

export const importDiscoveredAction = adminAction(
  z.object({ name: z.string().min(1).max(63), discoveredId: z.string().min(1).max(64) }),
  async ({ name, discoveredId }, ctx) => {
    const result = await importDiscovered(name, discoveredId, ctx);
    revalidatePath("/publisher/apis");
    return result;
  },
  { permission: "apis:write" },
);
