"use server";

import { revalidatePath } from "next/cache";
import { developerAction } from "@/lib/actions/client";
import { createApplication } from "@/lib/services/applications/create-application";
import { applicationInputSchema } from "@/lib/services/applications/schemas";

export const createApplicationAction = developerAction(
  applicationInputSchema,
  async (input, ctx) => {
    const app = await createApplication(input, ctx);
    revalidatePath("/applications");
    return { id: app.id, name: app.name };
  },
  { permission: "applications:write" },
);
