"use server";

import { revalidatePath } from "next/cache";
import { publisherAction } from "@/lib/actions/client";
import { createApi } from "@/lib/services/apis/create-api";
import { createApiSchema } from "@/lib/services/apis/schemas";

/** From scratch or from a URL; uploads and pasted documents go through POST /api/v1/apis (no action body limit). */
export const createApiAction = publisherAction(
  createApiSchema,
  async (input, ctx) => {
    const api = await createApi(input, ctx);
    revalidatePath("/publisher/apis");
    return { id: api.id, name: api.name };
  },
  { permission: "apis:write" },
);
