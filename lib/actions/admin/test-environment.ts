"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { testEnvironment } from "@/lib/services/environments/test-environment";

export const testEnvironmentAction = adminAction(
  z.object({ name: z.string().min(1).max(63) }),
  async ({ name }, ctx) => {
    const result = await testEnvironment(name, ctx);
    revalidatePath("/admin/environments");
    return result;
  },
  { permission: "environments:write" },
);
