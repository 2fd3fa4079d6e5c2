"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { createDocument } from "@/lib/services/apis/create-document";
import { createDocumentSchema } from "@/lib/services/apis/schemas";

export const createDocumentAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), input: createDocumentSchema }),
  async ({ id, input }, ctx) => {
    const document = await createDocument(id, input, ctx);
    revalidatePath(`/publisher/apis/${id}/documents`);
    return document;
  },
  { permission: "apis:write" },
);
