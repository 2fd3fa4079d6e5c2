"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { createApiVersion } from "@/lib/services/apis/create-api-version";
import { createApiVersionSchema } from "@/lib/services/apis/schemas";

export const createApiVersionAction = publisherAction(
  z.object({ sourceId: z.string().min(1).max(64), input: createApiVersionSchema }),
  async ({ sourceId, input }, ctx) => {
    const api = await createApiVersion(sourceId, input, ctx);
    revalidatePath("/publisher/apis");
    return { id: api.id, name: api.name, version: api.version };
  },
  { permission: "apis:write" },
);
