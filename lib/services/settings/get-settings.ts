import { getDb, type DbOrTx } from "@/lib/db/client";
import { settings } from "@/lib/db/schema";
import { DEFAULT_SETTINGS, platformSettingsSchema, type PlatformSettings } from "@/lib/domain/settings";

/** Settings are public to the server (sign-up needs them before anyone signs in). */
export async function getSettings(tx?: DbOrTx): Promise<PlatformSettings> {
  const db = tx ?? (await getDb());
  const rows = await db.select().from(settings);
  const raw: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const row of rows) raw[row.key] = row.value;
  const parsed = platformSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}
