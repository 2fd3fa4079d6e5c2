"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { createApiAction } from "@/lib/actions/publisher/create-api";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

interface Row {
  key: number;
  method: string;
  path: string;
  summary: string;
}

function contextFromName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug ? `/${slug}` : "";
}

/** An API from scratch: identity, backend and a first list of operations. */
export function ScratchForm() {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useActionForm(createApiAction);
  const [name, setName] = useState("");
  const [context, setContext] = useState("");
  const [contextEdited, setContextEdited] = useState(false);
  const [rows, setRows] = useState<Row[]>([{ key: 0, method: "GET", path: "/", summary: "" }]);
  const [nextKey, setNextKey] = useState(1);

  function update(key: number, patch: Partial<Row>) {
    setRows((r) => r.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const str = (k: string) => String(form.get(k) ?? "").trim();
    const result = await run({
      name,
      version: str("version"),
      context: context || contextFromName(name),
      description: str("description") || undefined,
      endpoints: { production: str("production") || null, sandbox: str("sandbox") || null },
      operations: rows
        .filter((r) => r.path.trim())
        .map((r) => ({ method: r.method, path: r.path.trim(), summary: r.summary.trim() || undefined })),
    });
    if (!result) return;
    toast.success(`Created ${result.name}`);
    router.push(`/publisher/apis/${result.id}`);
  }

  const opError = Object.entries(fieldErrors).find(([k]) => k.startsWith("operations"))?.[1];
  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate aria-label="Create an API from scratch">
      <div className="grid gap-4 md:grid-cols-3">
        <Field id="scratch-name" label="Name" error={fieldErrors.name}>
          <Input
            id="scratch-name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!contextEdited) setContext(contextFromName(e.target.value));
            }}
            required
          />
        </Field>
        <Field id="scratch-version" label="Version" error={fieldErrors.version}>
          <Input id="scratch-version" name="version" defaultValue="1.0.0" required />
        </Field>
        <Field id="scratch-context" label="Context" help="Base path on the gateway, such as /pets." error={fieldErrors.context}>
          <Input
            id="scratch-context"
            value={context}
            onChange={(e) => {
              setContext(e.target.value);
              setContextEdited(true);
            }}
            placeholder="/pets"
          />
        </Field>
      </div>
      <Field id="scratch-description" label="Description (optional)" error={fieldErrors.description}>
        <Input id="scratch-description" name="description" />
      </Field>
      <div className="grid gap-4 md:grid-cols-2">
        <Field
          id="scratch-production"
          label="Production endpoint"
          help="The backend the gateway calls."
          error={fieldErrors["endpoints.production"]}
        >
          <Input id="scratch-production" name="production" type="url" placeholder="https://backend.example.com" />
        </Field>
        <Field id="scratch-sandbox" label="Sandbox endpoint (optional)" error={fieldErrors["endpoints.sandbox"]}>
          <Input id="scratch-sandbox" name="sandbox" type="url" placeholder="https://sandbox.example.com" />
        </Field>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">First operations</legend>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Path parameters such as {"{id}"} are declared for you. Refine everything later in the definition editor.
        </p>
        {rows.map((row, i) => (
          <div key={row.key} className="flex flex-wrap items-center gap-2" data-testid="scratch-operation">
            <label className="sr-only" htmlFor={`op-method-${row.key}`}>
              Method of operation {i + 1}
            </label>
            <Select
              id={`op-method-${row.key}`}
              value={row.method}
              onChange={(e) => update(row.key, { method: e.target.value })}
              className="w-28"
            >
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </Select>
            <label className="sr-only" htmlFor={`op-path-${row.key}`}>
              Path of operation {i + 1}
            </label>
            <Input
              id={`op-path-${row.key}`}
              value={row.path}
              onChange={(e) => update(row.key, { path: e.target.value })}
              placeholder="/items/{id}"
              className="w-64 font-mono"
            />
            <label className="sr-only" htmlFor={`op-summary-${row.key}`}>
              Summary of operation {i + 1}
            </label>
            <Input
              id={`op-summary-${row.key}`}
              value={row.summary}
              onChange={(e) => update(row.key, { summary: e.target.value })}
              placeholder="Summary (optional)"
              className="min-w-48 flex-1"
            />
            <Button
              variant="ghost"
              size="sm"
              onClick={() => setRows((r) => r.filter((x) => x.key !== row.key))}
              disabled={rows.length === 1}
              aria-label={`Remove operation ${i + 1}`}
            >
              Remove
            </Button>
          </div>
        ))}
        {opError && <p className="text-xs text-red-600">{opError}</p>}
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            setRows((r) => [...r, { key: nextKey, method: "GET", path: "", summary: "" }]);
            setNextKey((k) => k + 1);
          }}
        >
          Add operation
        </Button>
      </fieldset>
      <FormError message={error && Object.keys(fieldErrors).length === 0 ? error : null} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create API"}
      </Button>
    </form>
  );
}
