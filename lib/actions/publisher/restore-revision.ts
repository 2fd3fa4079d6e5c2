"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { restoreRevision } from "@/lib/services/apis/restore-revision";

export const restoreRevisionAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), revisionId: z.string().min(1).max(64) }),
  async ({ id, revisionId }, ctx) => {
    await restoreRevision(id, revisionId, ctx);
    revalidatePath(`/publisher/apis/${id}`, "layout");
    return { revisionId };
  },
  { permission: "apis:write" },
);
