"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { deleteDocument } from "@/lib/services/apis/delete-document";

export const deleteDocumentAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), documentId: z.string().min(1).max(64) }),
  async ({ id, documentId }, ctx) => {
    await deleteDocument(id, documentId, ctx);
    revalidatePath(`/publisher/apis/${id}/documents`);
    return { documentId };
  },
  { permission: "apis:write" },
);
