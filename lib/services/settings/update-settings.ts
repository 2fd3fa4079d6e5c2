import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { settings } from "@/lib/db/schema";
import { settingsPatchSchema, type PlatformSettings } from "@/lib/domain/settings";

import { parseInput } from "@/lib/services/validate";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { getSettings } from "./get-settings";

export async function updateSettings(input: unknown, ctx: ServiceContext): Promise<PlatformSettings> {
  assertCan(ctx, "settings:write");
  const values = parseInput(settingsPatchSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      await tx
        .insert(settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
    }
    await writeAudit(tx, ctx, { action: "settings.update", objectType: "settings", details: values });
    return getSettings(tx);
  });
}
