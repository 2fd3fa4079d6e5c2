"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { deleteRevision } from "@/lib/services/apis/delete-revision";

export const deleteRevisionAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), revisionId: z.string().min(1).max(64) }),
  async ({ id, revisionId }, ctx) => {
    await deleteRevision(id, revisionId, ctx);
    revalidatePath(`/publisher/apis/${id}/revisions`);
    return { revisionId };
  },
  { permission: "apis:write" },
);
