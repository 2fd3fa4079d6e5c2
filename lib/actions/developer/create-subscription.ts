"use server";

import { revalidatePath } from "next/cache";
import { developerAction } from "@/lib/actions/client";
import { createSubscription, subscribeSchema } from "@/lib/services/subscriptions/create-subscription";

export const createSubscriptionAction = developerAction(
  subscribeSchema,
  async (input, ctx) => {
    const sub = await createSubscription(input, ctx);
    revalidatePath(`/apis/${sub.apiId}`);
    revalidatePath(`/applications/${sub.applicationId}`);
    return { id: sub.id, status: sub.status, tier: sub.tier, created: sub.created };
  },
  { permission: "subscriptions:write" },
);
