"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { createKeyManagerClient } from "@/lib/services/key-managers/key-manager-clients";

export const createKeyManagerClientAction = developerAction(
  z.object({ id: z.string().min(1).max(64), input: z.unknown() }),
  async ({ id, input }, ctx) => {
    const client = await createKeyManagerClient(id, input, ctx);
    revalidatePath(`/applications/${id}`);
    return client;
  },
  { permission: "applications:write" },
);
