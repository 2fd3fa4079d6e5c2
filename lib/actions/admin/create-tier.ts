"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/actions/client";
import { createTier } from "@/lib/services/tiers/create-tier";
import { createTierSchema } from "@/lib/services/tiers/schemas";

export const createTierAction = adminAction(
  createTierSchema,
  async (input, ctx) => {
    const tier = await createTier(input, ctx);
    revalidatePath("/admin/tiers");
    return tier;
  },
  { permission: "tiers:write" },
);
