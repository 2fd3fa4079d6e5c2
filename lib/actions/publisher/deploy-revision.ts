"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { deployInputSchema, deployRevision } from "@/lib/services/deployments/deploy-revision";

export const deployRevisionAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), input: deployInputSchema }),
  async ({ id, input }, ctx) => {
    const rows = await deployRevision(id, input, ctx);
    revalidatePath(`/publisher/apis/${id}`, "layout");
    return rows.map((r) => ({ id: r.id, status: r.status }));
  },
  { permission: "apis:write" },
);
