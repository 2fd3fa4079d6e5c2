"use server";

import { z } from "zod";
import { publisherAction } from "@/lib/actions/client";
import { deployInputSchema } from "@/lib/services/deployments/deploy-revision";
import { planDeployment } from "@/lib/services/deployments/plan-deployment";

export const planDeploymentAction = publisherAction(
  z.object({ id: z.string().min(1).max(64), input: deployInputSchema }),
  async ({ id, input }, ctx) => planDeployment(id, input, ctx),
  { permission: "apis:write" },
);
