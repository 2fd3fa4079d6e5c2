"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/actions/client";
import { revokeGatewayToken } from "@/lib/services/gateways/revoke-gateway-token";

export const revokeGatewayTokenAction = adminAction(
  z.object({ name: z.string().min(1).max(63) }),
  async ({ name }, ctx) => {
    await revokeGatewayToken(name, ctx);
    revalidatePath(`/admin/environments/${name}`);
    return { name };
  },
  { permission: "environments:write" },
);
