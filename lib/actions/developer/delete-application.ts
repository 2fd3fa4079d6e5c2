"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { deleteApplication } from "@/lib/services/applications/delete-application";

export const deleteApplicationAction = developerAction(
  z.object({ id: z.string().min(1).max(64) }),
  async ({ id }, ctx) => {
    const result = await deleteApplication(id, ctx);
    revalidatePath("/applications");
    return result;
  },
  { permission: "applications:write" },
);
