import { apiHandler, readJson } from "@/lib/api/handler";
import { settingsPatchSchema } from "@/lib/domain/settings";
import { getSettings } from "@/lib/services/settings/get-settings";
import { updateSettings } from "@/lib/services/settings/update-settings";
import { otherMethods } from "@/lib/api/methods";

export const GET = apiHandler({ permission: "settings:write" }, async () => getSettings());

export const PATCH = apiHandler({ permission: "settings:write" }, async ({ req, ctx }) =>
  updateSettings(await readJson(req, settingsPatchSchema), ctx),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
