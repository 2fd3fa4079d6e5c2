"use server";

import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { generateAccessToken, generateAccessTokenSchema } from "@/lib/services/applications/generate-access-token";

export const generateTokenAction = developerAction(
  z.object({ id: z.string().min(1).max(64), input: generateAccessTokenSchema }),
  async ({ id, input }, ctx) => generateAccessToken(id, input, ctx),
  { permission: "applications:write" },
);
