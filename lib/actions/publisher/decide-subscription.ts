"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { decideSubscription } from "@/lib/services/subscriptions/change-subscription";

/** Approve, reject, block or unblock a subscription of an API the caller owns (any, for admins). */
export const decideSubscriptionAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), decision: z.enum(["approve", "reject", "block", "unblock"]) }),
  async ({ id, decision }, ctx) => {
    const sub = await decideSubscription(id, decision, ctx);
    revalidatePath("/publisher/subscriptions");
    revalidatePath("/admin/subscriptions");
    return { id: sub.id, status: sub.status };
  },
  { permission: "subscriptions:approve" },
);
