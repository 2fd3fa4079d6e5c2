"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { rotateGatewayToken } from "@/lib/services/gateways/rotate-gateway-token";

export const rotateGatewayTokenAction = adminAction(
  z.object({ name: z.string().min(1).max(63) }),
  async ({ name }, ctx) => {
    const issued = await rotateGatewayToken(name, ctx);
    revalidatePath(`/admin/environments/${name}`);
    return issued;
  },
  { permission: "environments:write" },
);
