"use server";

import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/actions/client";
import { settingsPatchSchema } from "@/lib/domain/settings";
import { updateSettings } from "@/lib/services/settings/update-settings";

export const updateSettingsAction = adminAction(
  settingsPatchSchema,
  async (input, ctx) => {
    const settings = await updateSettings(input, ctx);
    revalidatePath("/admin/settings");
    return settings;
  },
  { permission: "settings:write" },
);
