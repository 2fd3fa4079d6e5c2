"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { setEnvironmentKeyManagers } from "@/lib/services/key-managers/environment-key-managers";
import { environmentKeyManagersSchema } from "@/lib/services/key-managers/schemas";

export const setEnvironmentKeyManagersAction = adminAction(
  environmentKeyManagersSchema.extend({ name: z.string().min(1).max(63) }),
  async ({ name, keyManagerIds }, ctx) => {
    const result = await setEnvironmentKeyManagers(name, { keyManagerIds }, ctx);
    revalidatePath(`/admin/environments/${name}`);
    return result;
  },
  { permission: "environments:write" },
);
