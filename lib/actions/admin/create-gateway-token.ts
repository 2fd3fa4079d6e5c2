"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { createGatewayToken } from "@/lib/services/gateways/create-gateway-token";
import { gatewayTokenNameSchema } from "@/lib/services/gateways/gateway-token";

export const createGatewayTokenAction = adminAction(
  z.object({ environment: z.string().min(1).max(63), name: gatewayTokenNameSchema }),
  async ({ environment, name }, ctx) => {
    const issued = await createGatewayToken(environment, { name }, ctx);
    revalidatePath(`/admin/environments/${environment}`);
    return issued;
  },
  { permission: "environments:write" },
);
