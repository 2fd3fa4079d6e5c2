"use server";

import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { discoverEnvironment } from "@/lib/services/discovery/discover-environment";

export const discoverEnvironmentAction = adminAction(
  z.object({ name: z.string().min(1).max(63) }),
  async ({ name }, ctx) => {
    const job = await discoverEnvironment(name, ctx);
    return { jobId: job.id };
  },
  { permission: "environments:write" },
);
