"use client";

import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { SECRET_MASK, type ConfigFieldView } from "@/lib/connectors/fields";

/**
 * The connection settings of a gateway type, rendered from its descriptor. A stored secret is
 * never sent to the browser: its input starts empty and saving it empty keeps the stored value.
 */
export function ConnectionFields({
  fields,
  values,
  secrets,
  errors,
}: {
  fields: ConfigFieldView[];
  values: Record<string, unknown>;
  secrets: Record<string, { set: boolean }>;
  errors: Record<string, string>;
}) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {fields.map((f) => {
        const id = `config-${f.name}`;
        const error = errors[`config.${f.name}`];
        const stored = f.secret && secrets[f.name]?.set;
        const value = f.secret ? "" : ((values[f.name] as string | undefined) ?? f.defaultValue ?? "");
        const label = (
          <>
            {f.label}
            {f.required ? null : <span className="text-xs font-normal text-slate-600 dark:text-slate-400"> (optional)</span>}
          </>
        );
        const common = {
          id,
          name: `config.${f.name}`,
          "aria-invalid": !!error,
          "aria-describedby": error ? `${id}-error` : f.help ? `${id}-help` : undefined,
        };
        return (
          <div key={f.name} className={f.multiline ? "md:col-span-2" : undefined}>
            <Field
              id={id}
              label={label}
              help={stored ? `${f.help ? `${f.help} ` : ""}A value is stored: leave this empty to keep it.` : f.help}
              error={error}
            >
              {f.options ? (
                <Select {...common} defaultValue={value}>
                  {!f.required && <option value="">None</option>}
                  {f.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </Select>
              ) : f.multiline && !f.secret ? (
                <Textarea {...common} rows={5} defaultValue={value} placeholder={f.placeholder} spellCheck={false} />
              ) : (
                <Input
                  {...common}
                  type={f.secret ? "password" : "text"}
                  autoComplete={f.secret ? "new-password" : "off"}
                  spellCheck={false}
                  defaultValue={value}
                  placeholder={stored ? `${SECRET_MASK} (stored)` : f.placeholder}
                />
              )}
            </Field>
            {stored && !f.required && (
              <label className="mt-1 flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
                <input type="checkbox" name={`clear.${f.name}`} /> Remove the stored {f.label.toLowerCase()}
              </label>
            )}
          </div>
        );
      })}
    </div>
  );
}

/**
 * Reads the connection fields back from a form. Empty secrets are sent empty, which keeps the
 * stored value; a ticked "remove" box sends null. Empty non-secret fields clear the field.
 */
export function readConnectionFields(form: FormData, fields: ConfigFieldView[]): Record<string, string | null> {
  const config: Record<string, string | null> = {};
  for (const f of fields) {
    if (form.get(`clear.${f.name}`) === "on") config[f.name] = null;
    else config[f.name] = String(form.get(`config.${f.name}`) ?? "");
  }
  return config;
}
