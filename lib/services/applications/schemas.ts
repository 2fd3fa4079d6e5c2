import { z } from "zod";

export const keyTypeSchema = z.enum(["production", "sandbox"]);

const applicationFields = {
  name: z.string().trim().min(1, "Give the application a name.").max(100, "Use at most 100 characters."),
  description: z.string().trim().max(1000, "Use at most 1000 characters."),
  policy: z.string().trim().max(100).nullish(),
};

export const applicationInputSchema = z.object({ ...applicationFields, description: applicationFields.description.default("") });

// Without defaults: a field left out of a PATCH keeps its value.
export const applicationPatchSchema = z.object(applicationFields).partial().strict();

export const apiKeyInputSchema = z.object({
  keyType: keyTypeSchema.default("production"),
  name: z.string().trim().min(1, "Give the key a name.").max(100).default("default"),
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
});
