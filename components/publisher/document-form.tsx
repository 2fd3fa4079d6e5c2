"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select, Textarea } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors";
import type { ApiDocument } from "@/lib/services/apis/document-dto";

export interface DocumentFormValues {
  title: string;
  kind: ApiDocument["kind"];
  sourceType: ApiDocument["sourceType"];
  content: string;
  url: string;
}

/** Adds or edits a document: markdown text or an external link. */
export function DocumentForm({
  initial,
  onSubmit,
  onCancel,
  pending,
  error,
  fieldErrors,
  submitLabel,
}: {
  initial?: ApiDocument;
  onSubmit: (values: DocumentFormValues) => void;
  onCancel?: () => void;
  pending: boolean;
  error: string | null;
  fieldErrors: FieldErrors;
  submitLabel: string;
}) {
  const [sourceType, setSourceType] = useState<ApiDocument["sourceType"]>(initial?.sourceType ?? "markdown");
  const prefix = initial ? `doc-${initial.id}` : "doc-new";
  const err = (k: string) => fieldErrors[k] ?? fieldErrors[`input.${k}`] ?? fieldErrors[`patch.${k}`];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onSubmit({
      title: String(form.get("title") ?? "").trim(),
      kind: String(form.get("kind")) as ApiDocument["kind"],
      sourceType,
      content: String(form.get("content") ?? ""),
      url: String(form.get("url") ?? "").trim(),
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate aria-label={initial ? `Edit ${initial.title}` : "Add a document"}>
      <div className="grid gap-4 md:grid-cols-3">
        <Field id={`${prefix}-title`} label="Title" error={err("title")} className="md:col-span-2">
          <Input id={`${prefix}-title`} name="title" defaultValue={initial?.title} required />
        </Field>
        <Field id={`${prefix}-kind`} label="Kind">
          <Select id={`${prefix}-kind`} name="kind" defaultValue={initial?.kind ?? "how-to"}>
            <option value="how-to">How-to</option>
            <option value="sample">Sample</option>
            <option value="other">Other</option>
          </Select>
        </Field>
      </div>
      {!initial && (
        <fieldset className="flex gap-4 text-sm">
          <legend className="sr-only">Document type</legend>
          <label className="flex items-center gap-2">
            <input type="radio" checked={sourceType === "markdown"} onChange={() => setSourceType("markdown")} /> Markdown
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" checked={sourceType === "url"} onChange={() => setSourceType("url")} /> External link
          </label>
        </fieldset>
      )}
      {sourceType === "markdown" ? (
        <Field
          id={`${prefix}-content`}
          label="Content (markdown)"
          help="Rendered safely: scripts, event handlers and javascript: links are removed."
          error={err("content")}
        >
          <Textarea id={`${prefix}-content`} name="content" rows={10} defaultValue={initial?.content} />
        </Field>
      ) : (
        <Field id={`${prefix}-url`} label="URL" help="http or https only." error={err("url")}>
          <Input
            id={`${prefix}-url`}
            name="url"
            type="url"
            defaultValue={initial?.url ?? ""}
            placeholder="https://docs.example.com/guide"
          />
        </Field>
      )}
      <FormError message={error && Object.keys(fieldErrors).length === 0 ? error : null} />
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
