"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { deleteTier } from "@/lib/services/tiers/delete-tier";
import { policyKindSchema } from "@/lib/services/tiers/schemas";

export const deleteTierAction = adminAction(
  z.object({ kind: policyKindSchema, name: z.string().min(1).max(64) }),
  async ({ kind, name }, ctx) => {
    await deleteTier(kind, name, ctx);
    revalidatePath("/admin/tiers");
    return { kind, name };
  },
  { permission: "tiers:write" },
);
