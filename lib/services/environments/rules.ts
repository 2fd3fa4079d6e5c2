import type { z } from "zod";
import type { ConnectorDescriptor, EnvironmentMode } from "@/lib/connectors/types";
import { fieldErrorsFromZod, type FieldErrors } from "@/lib/errors";
import { prepareConfig, type PreparedConfig } from "./config-secrets";
import { configInputSchema } from "./schemas";

/** Rules that span fields: the mode must be one the connector supports, and discovery needs a read mode. */
export function modeErrors(descriptor: ConnectorDescriptor, mode: EnvironmentMode, discoveryIntervalMinutes: number): FieldErrors {
  const errors: FieldErrors = {};
  if (!descriptor.modes.includes(mode)) {
    errors.mode = `${descriptor.label} supports ${descriptor.modes.join(", ")} only.`;
  } else if (discoveryIntervalMinutes > 0 && mode === "write-only") {
    errors.discoveryIntervalMinutes = "Discovery reads the gateway: choose the read-only or read-write mode, or use 0.";
  }
  if (discoveryIntervalMinutes > 0 && !descriptor.capabilities.discover && !errors.mode) {
    errors.discoveryIntervalMinutes = `${descriptor.label} offers nothing to discover: use 0.`;
  }
  return errors;
}

export interface ValidatedInput<T> {
  values?: T;
  config?: PreparedConfig;
  errors: FieldErrors;
}

/**
 * Parses an environment's settings and, whatever their errors, its connection config too, so
 * that a form shows every problem at once. `config` is prepared (validated, secrets encrypted)
 * when the input has one and the type is known.
 */
export function validateEnvironmentInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  descriptor: ConnectorDescriptor | undefined,
  stored?: Record<string, unknown>,
): ValidatedInput<z.output<S>> {
  const parsed = schema.safeParse(input);
  const errors: FieldErrors = parsed.success ? {} : fieldErrorsFromZod(parsed.error.issues);
  const rawConfig = input && typeof input === "object" ? (input as { config?: unknown }).config : undefined;
  let config: PreparedConfig | undefined;
  if (descriptor && (rawConfig !== undefined || !stored)) {
    const configInput = configInputSchema.safeParse(rawConfig ?? {});
    if (configInput.success) {
      config = prepareConfig(descriptor, configInput.data, stored);
      if (!config.ok) Object.assign(errors, config.fieldErrors);
    }
  }
  return { values: parsed.success ? parsed.data : undefined, config, errors };
}
