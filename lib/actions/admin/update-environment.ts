"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import type { UpdateEnvironmentInput } from "@/lib/services/environments/schemas";
import { updateEnvironment } from "@/lib/services/environments/update-environment";

export const updateEnvironmentAction = adminAction(
  z.object({ name: z.string().min(1).max(63), patch: z.custom<UpdateEnvironmentInput>() }),
  async ({ name, patch }, ctx) => {
    const environment = await updateEnvironment(name, patch, ctx);
    revalidatePath("/admin/environments");
    return environment;
  },
  { permission: "environments:write" },
);
