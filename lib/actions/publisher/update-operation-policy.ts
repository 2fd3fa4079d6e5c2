"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { operationPolicySchema } from "@/lib/services/apis/schemas";
import { updateOperationPolicy } from "@/lib/services/apis/update-operation";

export const updateOperationPolicyAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), policy: operationPolicySchema }),
  async ({ id, policy }, ctx) => {
    const operation = await updateOperationPolicy(id, policy, ctx);
    revalidatePath(`/publisher/apis/${id}/operations`);
    return operation;
  },
  { permission: "apis:write" },
);
