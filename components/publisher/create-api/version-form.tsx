"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { createApiVersionAction } from "@/lib/actions/publisher/create-api-version";

export interface VersionSource {
  id: string;
  name: string;
  version: string;
  context: string;
}

/** A copy of an existing API under a new version; the original is not changed. */
export function VersionForm({ sources, selected }: { sources: VersionSource[]; selected?: string }) {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useActionForm(createApiVersionAction);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const context = String(form.get("context") ?? "").trim();
    const result = await run({
      sourceId: String(form.get("sourceId")),
      input: { version: String(form.get("version") ?? "").trim(), context: context || undefined },
    });
    if (!result) return;
    toast.success(`Created ${result.name} ${result.version}`);
    router.push(`/publisher/apis/${result.id}`);
  }

  if (sources.length === 0)
    return <EmptyState title="No API to copy yet">Create or import an API first; then make new versions of it here.</EmptyState>;
  return (
    <form onSubmit={onSubmit} className="max-w-2xl space-y-5" noValidate aria-label="Create a new version">
      <Field
        id="version-source"
        label="API to copy"
        help="Its document, settings, policies and documents are copied; the original stays as it is."
      >
        <Select id="version-source" name="sourceId" defaultValue={selected ?? sources[0].id}>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} {s.version} ({s.context})
            </option>
          ))}
        </Select>
      </Field>
      <div className="grid gap-4 md:grid-cols-2">
        <Field id="version-new" label="New version" error={fieldErrors["input.version"] ?? fieldErrors.version}>
          <Input id="version-new" name="version" placeholder="2.0.0" required />
        </Field>
        <Field
          id="version-context"
          label="Context (optional)"
          help="Leave empty to keep the same context."
          error={fieldErrors["input.context"] ?? fieldErrors.context}
        >
          <Input id="version-context" name="context" placeholder="/pets" />
        </Field>
      </div>
      <FormError message={error && Object.keys(fieldErrors).length === 0 ? error : null} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create version"}
      </Button>
    </form>
  );
}
