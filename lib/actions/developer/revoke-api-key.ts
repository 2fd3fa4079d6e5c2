"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { revokeApiKey } from "@/lib/services/applications/api-keys";

export const revokeApiKeyAction = developerAction(
  z.object({ id: z.string().min(1).max(64), keyId: z.string().min(1).max(64) }),
  async ({ id, keyId }, ctx) => {
    await revokeApiKey(id, keyId, ctx);
    revalidatePath(`/applications/${id}`);
    return { keyId };
  },
  { permission: "applications:write" },
);
