import { z } from "zod";
import type { ConfigFieldMeta, ConfigSchema } from "./types";

/**
 * Field metadata of connector config schemas. Pure (no I/O), so that forms, the OpenAPI
 * document and the services all read the same description of a field.
 */
/** What every read shows in place of a stored secret. */
export const SECRET_MASK = "••••••";

export const configFieldRegistry = z.registry<ConfigFieldMeta>();

/** Attaches form metadata to a config field's schema. */
export function field<S extends z.ZodType>(schema: S, meta: ConfigFieldMeta): S {
  configFieldRegistry.add(schema, meta);
  return schema;
}

/** A serializable view of one field, for the generic admin form. */
export interface ConfigFieldView {
  name: string;
  label: string;
  help?: string;
  secret: boolean;
  required: boolean;
  options?: Array<{ value: string; label: string }>;
  placeholder?: string;
  multiline: boolean;
  defaultValue?: string;
}

export function describeConfigFields(schema: ConfigSchema): ConfigFieldView[] {
  return Object.entries(schema.shape).map(([name, fieldSchema]) => {
    const s = fieldSchema as z.ZodType;
    const meta = configFieldRegistry.get(s) ?? { label: name };
    const empty = s.safeParse(undefined);
    const view: ConfigFieldView = {
      name,
      label: meta.label,
      secret: !!meta.secret,
      required: !empty.success,
      multiline: !!meta.multiline,
    };
    if (meta.help) view.help = meta.help;
    if (meta.options) view.options = meta.options;
    if (meta.placeholder) view.placeholder = meta.placeholder;
    if (empty.success && empty.data !== undefined) view.defaultValue = String(empty.data);
    return view;
  });
}

export function secretFieldNames(schema: ConfigSchema): string[] {
  return Object.entries(schema.shape)
    .filter(([, s]) => configFieldRegistry.get(s as z.ZodType)?.secret)
    .map(([name]) => name);
}

export function fieldLabel(schema: ConfigSchema, name: string): string {
  const s = schema.shape[name] as z.ZodType | undefined;
  return (s && configFieldRegistry.get(s)?.label) || name;
}

// Shared validators.

export const httpUrl = (message = "Enter an http:// or https:// URL.") =>
  z
    .string()
    .trim()
    .max(2048, "Use at most 2048 characters.")
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === "http:" || u.protocol === "https:") && !!u.hostname && !u.username && !u.password;
      } catch {
        return false;
      }
    }, message)
    // A trailing slash would double up when paths are appended.
    .transform((v) => v.replace(/\/+$/, ""));

export const guid = (what: string) =>
  z
    .string()
    .trim()
    .regex(
      /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
      `Enter the ${what} as a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).`,
    )
    .transform((v) => v.toLowerCase());

/** A required text field whose absence says what to enter. */
export const requiredString = (what: string, max = 256) =>
  z
    .string({ error: `Enter the ${what}.` })
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(max, `Use at most ${max} characters.`);

export const secretString = (what: string, max = 4096) =>
  z
    .string({ error: `Enter the ${what}.` })
    .min(1, `Enter the ${what}.`)
    .max(max, `Use at most ${max} characters.`);
