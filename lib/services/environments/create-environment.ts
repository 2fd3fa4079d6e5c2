import { isConnectorType } from "@/lib/connectors/descriptors";
import { getDescriptor } from "@/lib/connectors/registry";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { environments } from "@/lib/db/schema";
import { AppError, type FieldErrors } from "@/lib/errors";
import { newId } from "@/lib/id";
import { writeAudit } from "@/lib/services/audit/write-audit";
import { assertCan, type ServiceContext } from "@/lib/services/context";
import { toEnvironmentView, type EnvironmentView } from "./environment-dto";
import { modeErrors, validateEnvironmentInput } from "./rules";
import { createEnvironmentSchema } from "./schemas";

export function nameTaken(name: string): AppError {
  const message = `An environment named "${name}" already exists.`;
  return new AppError("validation_failed", message, { fieldErrors: { name: message } });
}

/** Every field error at once, so that a form shows them together; nothing is saved. */
export function invalid(fieldErrors: FieldErrors): AppError {
  const [path, message] = Object.entries(fieldErrors)[0] ?? ["_", "The input is not valid."];
  return new AppError("validation_failed", `${path}: ${message}`, { fieldErrors });
}

export async function createEnvironment(input: unknown, ctx: ServiceContext): Promise<EnvironmentView> {
  assertCan(ctx, "environments:write");
  const type = input && typeof input === "object" ? (input as { type?: unknown }).type : undefined;
  const descriptor = isConnectorType(type) ? getDescriptor(type) : undefined;
  const { values, config, errors } = validateEnvironmentInput(createEnvironmentSchema, input, descriptor);
  const mode = values && descriptor ? (values.mode ?? descriptor.modes[0]) : undefined;
  if (values && descriptor && mode) Object.assign(errors, modeErrors(descriptor, mode, values.discoveryIntervalMinutes));
  if (!values || !mode || !config?.ok || Object.keys(errors).length) throw invalid(errors);

  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(environments)
        .values({
          id: newId("env"),
          name: values.name,
          displayName: values.displayName ?? values.name,
          description: values.description,
          type: values.type,
          mode,
          region: values.region,
          publicUrls: values.publicUrls,
          visibleRoles: values.visibleRoles,
          discoveryIntervalMinutes: values.discoveryIntervalMinutes,
          config: config.stored,
          createdBy: ctx.actor?.id ?? null,
        })
        .returning();
      // Never the config: the audit log is readable by every admin, forever.
      await writeAudit(tx, ctx, {
        action: "environment.create",
        objectType: "environment",
        objectId: row.id,
        details: { name: row.name, type: row.type, mode },
      });
      return toEnvironmentView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(values.name);
    throw error;
  }
}
