"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { updateDocumentSchema } from "@/lib/services/apis/schemas";
import { updateDocument } from "@/lib/services/apis/update-document";

export const updateDocumentAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), documentId: z.string().min(1).max(64), patch: updateDocumentSchema }),
  async ({ id, documentId, patch }, ctx) => {
    const document = await updateDocument(id, documentId, patch, ctx);
    revalidatePath(`/publisher/apis/${id}/documents`);
    return document;
  },
  { permission: "apis:write" },
);
