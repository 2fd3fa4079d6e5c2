"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { applicationPatchSchema } from "@/lib/services/applications/schemas";
import { updateApplication } from "@/lib/services/applications/update-application";

export const updateApplicationAction = developerAction(
  z.object({ id: z.string().min(1).max(64), input: applicationPatchSchema }),
  async ({ id, input }, ctx) => {
    const app = await updateApplication(id, input, ctx);
    revalidatePath(`/applications/${id}`);
    return app;
  },
  { permission: "applications:write" },
);
