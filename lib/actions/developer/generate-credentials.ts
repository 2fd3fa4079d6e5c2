"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { developerAction } from "@/lib/actions/client";
import { generateClientCredentials } from "@/lib/services/applications/generate-client-credentials";
import { keyTypeSchema } from "@/lib/services/applications/schemas";

/** Creates the OAuth2 client of a key type, or regenerates its secret; the secret is returned once. */
export const generateCredentialsAction = developerAction(
  z.object({ id: z.string().min(1).max(64), keyType: keyTypeSchema }),
  async ({ id, keyType }, ctx) => {
    const result = await generateClientCredentials(id, { keyType }, ctx);
    revalidatePath(`/applications/${id}`);
    return result;
  },
  { permission: "applications:write" },
);
