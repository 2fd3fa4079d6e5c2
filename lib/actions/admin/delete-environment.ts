"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { deleteEnvironment } from "@/lib/services/environments/delete-environment";

export const deleteEnvironmentAction = adminAction(
  z.object({ name: z.string().min(1).max(63) }),
  async ({ name }, ctx) => {
    await deleteEnvironment(name, ctx);
    revalidatePath("/admin/environments");
    return { name };
  },
  { permission: "environments:write" },
);
