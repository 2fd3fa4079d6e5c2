"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { undeployApi } from "@/lib/services/deployments/undeploy-api";

export const undeployApiAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), environment: z.string().min(1).max(63), deleteApi: z.boolean().default(false) }),
  async ({ id, environment, deleteApi }, ctx) => {
    const row = await undeployApi(id, environment, ctx, { deleteApi });
    revalidatePath(`/publisher/apis/${id}`, "layout");
    return { status: row?.status ?? "undeployed" };
  },
  { permission: "apis:write" },
);
