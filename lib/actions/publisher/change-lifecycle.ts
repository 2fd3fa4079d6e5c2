"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { changeLifecycle } from "@/lib/services/apis/change-lifecycle";
import { lifecycleActionSchema } from "@/lib/services/apis/schemas";

export const changeLifecycleAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), input: lifecycleActionSchema }),
  async ({ id, input }, ctx) => {
    const api = await changeLifecycle(id, input, ctx);
    revalidatePath(`/publisher/apis/${id}`, "layout");
    return { lifecycleState: api.lifecycleState };
  },
  { permission: "apis:write" },
);
