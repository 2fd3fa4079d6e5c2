import { eq } from "drizzle-orm";
import { getDescriptor } from "@/lib/connectors/registry";
import { getDb } from "@/lib/db/client";
import { environments } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { invalid } from "./create-environment";
import { toEnvironmentView, type EnvironmentView } from "./environment-dto";
import { modeErrors, validateEnvironmentInput } from "./rules";
import { updateEnvironmentSchema } from "./schemas";
import type { EnvironmentMode } from "@/lib/connectors/types";

const SETTINGS = ["displayName", "description", "mode", "region", "publicUrls", "visibleRoles", "discoveryIntervalMinutes"] as const;

/** Changes settings and connection config; the name and the type never change. */
export async function updateEnvironment(name: string, input: unknown, ctx: ServiceContext): Promise<EnvironmentView> {
  assertCan(ctx, "environments:write");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(environments).where(eq(environments.name, name)).for("update").limit(1);
    if (!current) throw new AppError("not_found", `No environment named "${name}".`);
    const descriptor = getDescriptor(current.type);
    const { values: patch, config, errors } = validateEnvironmentInput(updateEnvironmentSchema, input, descriptor, current.config);
    if (patch?.name !== undefined && patch.name !== current.name)
      errors.name = "An environment's name cannot change: create a new environment instead.";
    if (patch?.type !== undefined && patch.type !== current.type)
      errors.type = "An environment's type cannot change: create a new environment instead.";
    if (patch) {
      const mode = (patch.mode ?? current.mode) as EnvironmentMode;
      Object.assign(errors, modeErrors(descriptor, mode, patch.discoveryIntervalMinutes ?? current.discoveryIntervalMinutes));
    }
    if (!patch || Object.keys(errors).length) throw invalid(errors);

    const set: Partial<typeof environments.$inferInsert> = {};
    for (const key of SETTINGS) if (patch[key] !== undefined) Object.assign(set, { [key]: patch[key] });
    if (config?.ok) set.config = config.stored;
    const changed = Object.keys(set).filter(
      (k) => JSON.stringify(set[k as keyof typeof set]) !== JSON.stringify(current[k as keyof typeof current]),
    );
    if (changed.length === 0) return toEnvironmentView(current);

    const [row] = await tx.update(environments).set(set).where(eq(environments.id, current.id)).returning();
    // Names of what changed only: config values, secrets above all, stay out of the audit log.
    await writeAudit(tx, ctx, {
      action: "environment.update",
      objectType: "environment",
      objectId: row.id,
      details: { name: row.name, changed },
    });
    return toEnvironmentView(row);
  });
}
