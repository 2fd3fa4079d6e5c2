import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { emailSchema, passwordSchema } from "@/lib/domain/password";

export const nameSchema = z.string().trim().max(120, "Use at most 120 characters.");
export const rolesSchema = z
  .array(z.enum(ROLES))
  .max(ROLES.length)
  .transform((r) => [...new Set(r)]);

export const signUpSchema = z.object({
  email: emailSchema,
  name: nameSchema.default(""),
  password: passwordSchema,
});

export const createUserSchema = z.object({
  email: emailSchema,
  name: nameSchema.default(""),
  roles: rolesSchema.refine((r) => r.length > 0, "Choose at least one role."),
  // Without a password the user is invited: they set one through the invitation link.
  password: z.union([passwordSchema, z.literal("").transform(() => undefined)]).optional(),
});

export const updateUserSchema = z
  .object({
    name: nameSchema.optional(),
    roles: rolesSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const acceptInvitationSchema = z.object({
  token: z.string().min(10).max(200),
  password: passwordSchema,
  name: nameSchema.optional(),
});
