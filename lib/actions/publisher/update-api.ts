"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { apiSettingsSchema } from "@/lib/services/apis/schemas";
import { updateApi } from "@/lib/services/apis/update-api";

export const updateApiAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), patch: apiSettingsSchema }),
  async ({ id, patch }, ctx) => {
    const api = await updateApi(id, patch, ctx);
    revalidatePath(`/publisher/apis/${id}`, "layout");
    return api;
  },
  { permission: "apis:write" },
);
