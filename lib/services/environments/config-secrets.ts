import { SECRET_MASK, secretFieldNames } from "@/lib/connectors/fields";
import type { ConnectorConfig, ConnectorDescriptor } from "@/lib/connectors/types";
import { decryptSecret, encryptSecret, isEncryptedSecret } from "@/lib/crypto/secrets";
import { fieldErrorsFromZod, type FieldErrors } from "@/lib/errors";

export { SECRET_MASK };

export type ConfigInput = Record<string, string | null>;

export interface MaskedConfig {
  config: Record<string, unknown>;
  /** Which secret fields hold a value, without the value. */
  secrets: Record<string, { set: boolean }>;
}

/** A blank or masked secret in an edit means "keep what is stored". */
function keepsStoredSecret(value: string | null | undefined): boolean {
  return value === undefined || (typeof value === "string" && (value.trim() === "" || value === SECRET_MASK));
}

/** The stored config with every secret decrypted: only for connectors, never for a response. */
export function decryptConfig(descriptor: ConnectorDescriptor, stored: Record<string, unknown>): ConnectorConfig {
  const out: ConnectorConfig = { ...stored };
  for (const name of secretFieldNames(descriptor.configSchema)) {
    const value = stored[name];
    if (isEncryptedSecret(value)) out[name] = decryptSecret(value);
  }
  return out;
}

export function maskConfig(descriptor: ConnectorDescriptor, stored: Record<string, unknown>): MaskedConfig {
  const config: Record<string, unknown> = { ...stored };
  const secrets: MaskedConfig["secrets"] = {};
  for (const name of secretFieldNames(descriptor.configSchema)) {
    const set = typeof stored[name] === "string" && stored[name] !== "";
    secrets[name] = { set };
    if (set) config[name] = SECRET_MASK;
    else delete config[name];
  }
  return { config, secrets };
}

export type PreparedConfig = { ok: true; stored: Record<string, unknown> } | { ok: false; fieldErrors: FieldErrors };

/**
 * Validates a config against the connector's schema and encrypts its secrets. On an edit,
 * `input` is merged into the stored config: a blank or masked secret keeps the stored
 * ciphertext as it is, an empty non-secret field or null clears the field. Field errors are
 * keyed `config.<field>`.
 */
export function prepareConfig(descriptor: ConnectorDescriptor, input: ConfigInput, stored?: Record<string, unknown>): PreparedConfig {
  const secrets = new Set(secretFieldNames(descriptor.configSchema));
  const plain: ConnectorConfig = stored ? decryptConfig(descriptor, stored) : {};
  const kept = new Set<string>();
  for (const name of secrets) if (stored && isEncryptedSecret(stored[name])) kept.add(name);

  for (const [name, value] of Object.entries(input)) {
    if (secrets.has(name)) {
      if (value === null) {
        delete plain[name];
        kept.delete(name);
      } else if (!keepsStoredSecret(value)) {
        plain[name] = value;
        kept.delete(name);
      }
      continue;
    }
    if (value === null || value.trim() === "") delete plain[name];
    else plain[name] = value;
  }

  const parsed = descriptor.configSchema.safeParse(plain);
  if (!parsed.success) {
    const errors = fieldErrorsFromZod(parsed.error.issues);
    const fieldErrors: FieldErrors = {};
    for (const [path, message] of Object.entries(errors)) fieldErrors[path === "_" ? "config" : `config.${path}`] = message;
    return { ok: false, fieldErrors };
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.data)) {
    if (value === undefined) continue;
    if (secrets.has(name)) out[name] = kept.has(name) ? stored![name] : encryptSecret(String(value));
    else out[name] = value;
  }
  return { ok: true, stored: out };
}
