"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { deleteSubscription } from "@/lib/services/subscriptions/change-subscription";

export const deleteSubscriptionAction = developerAction(
  z.object({ id: z.string().min(1).max(64) }),
  async ({ id }, ctx) => {
    await deleteSubscription(id, ctx);
    revalidatePath("/subscriptions");
    return { id };
  },
  { permission: "subscriptions:write" },
);
