"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { createRevision } from "@/lib/services/apis/create-revision";
import { createRevisionSchema } from "@/lib/services/apis/schemas";

export const createRevisionAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), input: createRevisionSchema }),
  async ({ id, input }, ctx) => {
    const revision = await createRevision(id, input, ctx);
    revalidatePath(`/publisher/apis/${id}`, "layout");
    return revision;
  },
  { permission: "apis:write" },
);
