"use server";

import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { requestKeyManagerToken } from "@/lib/services/key-managers/key-manager-clients";

export const requestKeyManagerTokenAction = developerAction(
  z.object({ id: z.string().min(1).max(64), clientId: z.string().min(1).max(64), scope: z.string().max(1000).optional() }),
  async ({ id, clientId, scope }, ctx) => requestKeyManagerToken(id, clientId, { scope }, ctx),
  { permission: "applications:write" },
);
