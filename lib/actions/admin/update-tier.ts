"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { policyKindSchema, updateTierSchema } from "@/lib/services/tiers/schemas";
import { updateTier } from "@/lib/services/tiers/update-tier";

export const updateTierAction = adminAction(
  z.object({ kind: policyKindSchema, name: z.string().min(1).max(64), patch: updateTierSchema }),
  async ({ kind, name, patch }, ctx) => {
    const tier = await updateTier(kind, name, patch, ctx);
    revalidatePath("/admin/tiers");
    return tier;
  },
  { permission: "tiers:write" },
);
