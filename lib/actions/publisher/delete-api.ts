"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { deleteApi } from "@/lib/services/apis/delete-api";

export const deleteApiAction = publisherAction(
  z.object({ id: z.string().min(1).max(64) }),
  async ({ id }, ctx) => {
    await deleteApi(id, ctx);
    revalidatePath("/publisher/apis");
    return { id };
  },
  { permission: "apis:write" },
);
