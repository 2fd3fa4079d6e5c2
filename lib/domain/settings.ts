import { z } from "zod";

/** Platform settings with their defaults. Pure: shared by the admin form and the services. */
export const platformSettingsSchema = z.object({
  selfSignup: z.boolean().default(true),
  subscriptionApproval: z.boolean().default(false),
  accessTokenTtlSeconds: z.number().int().min(60).max(86400).default(3600),
  apiKeyPrefix: z
    .string()
    .regex(
      /^[a-z][a-z0-9]{0,9}_$/,
      "Use 1 to 10 lowercase letters or digits, starting with a letter, then an underscore (for example mrd_).",
    )
    .default("mrd_"),
});

export type PlatformSettings = z.infer<typeof platformSettingsSchema>;
export const DEFAULT_SETTINGS: PlatformSettings = platformSettingsSchema.parse({});
export const settingsPatchSchema = platformSettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
