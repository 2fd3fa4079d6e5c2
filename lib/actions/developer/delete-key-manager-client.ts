"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { deleteKeyManagerClient } from "@/lib/services/key-managers/key-manager-clients";

export const deleteKeyManagerClientAction = developerAction(
  z.object({ id: z.string().min(1).max(64), clientId: z.string().min(1).max(64) }),
  async ({ id, clientId }, ctx) => {
    await deleteKeyManagerClient(id, clientId, ctx);
    revalidatePath(`/applications/${id}`);
    return { clientId };
  },
  { permission: "applications:write" },
);
