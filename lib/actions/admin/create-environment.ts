"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { createEnvironment } from "@/lib/services/environments/create-environment";
import type { CreateEnvironmentInput } from "@/lib/services/environments/schemas";

export const createEnvironmentAction = adminAction(
  // The service validates everything at once (settings and connection), so nothing here.
  z.custom<CreateEnvironmentInput>(),
  async (input, ctx) => {
    const environment = await createEnvironment(input, ctx);
    revalidatePath("/admin/environments");
    return environment;
  },
  { permission: "environments:write" },
);
