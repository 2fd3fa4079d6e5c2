"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { setApiKeyManagers } from "@/lib/services/key-managers/api-key-managers";
import { apiKeyManagersSchema } from "@/lib/services/key-managers/schemas";

/** The service checks that the caller may change this API (owner or admin), as the REST route does. */
export const setApiKeyManagersAction = publisherAction(
  apiKeyManagersSchema.extend({ id: z.string().min(1).max(64) }),
  async ({ id, keyManagerIds }, ctx) => {
    const result = await setApiKeyManagers(id, { keyManagerIds }, ctx);
    revalidatePath(`/publisher/apis/${id}`, "layout");
    revalidatePath(`/apis/${id}`);
    return result;
  },
  { permission: "apis:write" },
);
