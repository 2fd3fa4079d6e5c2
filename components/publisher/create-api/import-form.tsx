"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Textarea } from "@/components/ui/field";
import type { DefinitionError } from "@/lib/domain/openapi/types";
import type { FieldErrors } from "@/lib/errors";
import { ApiProblem, apiRequest } from "../api-request";
import { DefinitionErrors } from "../definition-errors";

type Source = "upload" | "paste" | "url";

const SOURCES: Array<{ key: Source; label: string; help: string }> = [
  { key: "upload", label: "Upload a file", help: "A .json, .yaml or .yml file from your computer." },
  { key: "paste", label: "Paste the document", help: "JSON or YAML text." },
  { key: "url", label: "From a URL", help: "Meridian fetches it from the server; private network addresses are refused." },
];

/** Import an OpenAPI 3.0/3.1 or Swagger 2.0 document; posts to /api/v1/apis (no server-action size limit). */
export function ImportForm({ maxBytesLabel }: { maxBytesLabel: string }) {
  const router = useRouter();
  const [source, setSource] = useState<Source>("upload");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<DefinitionError[]>([]);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const str = (k: string) => String(form.get(k) ?? "").trim();
    const metadata: Record<string, unknown> = {};
    for (const key of ["name", "version", "context", "description"]) if (str(key)) metadata[key] = str(key);
    if (str("production")) metadata.endpoints = { production: str("production"), sandbox: null };
    let init: RequestInit;
    if (source === "upload") {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) return setFieldErrors({ definition: "Choose a file to upload." });
      const body = new FormData();
      body.set("definition", file);
      body.set("metadata", JSON.stringify(metadata));
      init = { method: "POST", body };
    } else if (source === "paste") {
      if (!str("definition")) return setFieldErrors({ definition: "Paste a document." });
      init = {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...metadata, definition: String(form.get("definition")) }),
      };
    } else {
      if (!str("definitionUrl")) return setFieldErrors({ definitionUrl: "Give the URL of the document." });
      init = {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...metadata, definitionUrl: str("definitionUrl") }),
      };
    }
    setPending(true);
    setError(null);
    setErrors([]);
    setFieldErrors({});
    try {
      const api = await apiRequest<{ id: string; name: string; operationCount: number }>("/api/v1/apis", init);
      toast.success(`Imported ${api.name} (${api.operationCount} operations)`);
      router.push(`/publisher/apis/${api.id}`);
    } catch (e) {
      const problem = e instanceof ApiProblem ? e : new ApiProblem("The import failed.", "error", 0);
      setError(problem.message);
      setErrors(problem.errors);
      setFieldErrors(problem.fieldErrors);
      toast.error(problem.code === "invalid_definition" ? "The document is not valid" : problem.message);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate aria-label="Import an OpenAPI document">
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Where is the document?</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-3">
          {SOURCES.map((s) => (
            <label
              key={s.key}
              className="flex cursor-pointer items-start gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 dark:border-slate-700 dark:has-[:checked]:bg-brand-700/20"
            >
              <input
                type="radio"
                name="source"
                value={s.key}
                checked={source === s.key}
                onChange={() => setSource(s.key)}
                className="mt-0.5"
              />
              <span>
                <span className="block font-medium">{s.label}</span>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{s.help}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {source === "upload" && (
        <Field
          id="import-file"
          label="OpenAPI file"
          help={`OpenAPI 3.0, 3.1 or Swagger 2.0, JSON or YAML, up to ${maxBytesLabel}.`}
          error={fieldErrors.definition}
        >
          <Input id="import-file" name="file" type="file" accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml" />
        </Field>
      )}
      {source === "paste" && (
        <Field id="import-text" label="OpenAPI document" help="JSON or YAML." error={fieldErrors.definition}>
          <Textarea
            id="import-text"
            name="definition"
            rows={14}
            spellCheck={false}
            placeholder={"openapi: 3.0.3\ninfo:\n  title: My API\n  version: 1.0.0\npaths: {}"}
          />
        </Field>
      )}
      {source === "url" && (
        <Field id="import-url" label="Document URL" error={fieldErrors.definitionUrl}>
          <Input id="import-url" name="definitionUrl" type="url" placeholder="https://example.com/openapi.yaml" />
        </Field>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        <Field id="import-name" label="Name" help="Defaults to the document's title." error={fieldErrors.name}>
          <Input id="import-name" name="name" />
        </Field>
        <Field id="import-version" label="Version" help="Defaults to info.version." error={fieldErrors.version}>
          <Input id="import-version" name="version" />
        </Field>
        <Field id="import-context" label="Context" help="Base path, such as /pets. Defaults from the name." error={fieldErrors.context}>
          <Input id="import-context" name="context" placeholder="/pets" />
        </Field>
      </div>
      <Field
        id="import-production"
        label="Production endpoint"
        help="The backend URL. Defaults to the document's first server."
        error={fieldErrors["endpoints.production"]}
      >
        <Input id="import-production" name="production" type="url" placeholder="https://backend.example.com/v1" />
      </Field>
      <DefinitionErrors errors={errors} />
      <FormError message={error && errors.length === 0 && Object.keys(fieldErrors).length === 0 ? error : null} />
      <Button type="submit" disabled={pending}>
        {pending ? "Importing…" : "Import API"}
      </Button>
    </form>
  );
}
