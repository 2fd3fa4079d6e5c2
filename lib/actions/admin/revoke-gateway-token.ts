"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { revokeGatewayTokenById } from "@/lib/services/gateways/revoke-gateway-token-by-id";

export const revokeGatewayTokenAction = adminAction(
  z.object({ environment: z.string().min(1).max(63), id: z.string().min(1).max(64) }),
  async ({ environment, id }, ctx) => {
    await revokeGatewayTokenById(environment, id, ctx);
    revalidatePath(`/admin/environments/${environment}`);
    return { id };
  },
  { permission: "environments:write" },
);
