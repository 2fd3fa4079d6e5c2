"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { createApiKey } from "@/lib/services/applications/api-keys";
import { apiKeyInputSchema } from "@/lib/services/applications/schemas";

/** The key itself is in the result, this once. */
export const createApiKeyAction = developerAction(
  z.object({ id: z.string().min(1).max(64), input: apiKeyInputSchema }),
  async ({ id, input }, ctx) => {
    const result = await createApiKey(id, input, ctx);
    revalidatePath(`/applications/${id}`);
    return result;
  },
  { permission: "applications:write" },
);
