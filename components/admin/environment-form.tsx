"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select, Textarea } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { createEnvironmentAction } from "@/lib/actions/admin/create-environment";
import { updateEnvironmentAction } from "@/lib/actions/admin/update-environment";
import { ROLES, type Role } from "@/lib/auth/permissions";
import type { ConnectorTypeView } from "@/lib/connectors/catalog";
import type { ConnectorType, EnvironmentMode } from "@/lib/connectors/types";
import type { EnvironmentView } from "@/lib/services/environments/environment-dto";
import { ConnectionFields, readConnectionFields } from "./connection-fields";

const MODE_LABELS: Record<EnvironmentMode, string> = {
  "write-only": "Write-only: Meridian deploys APIs there",
  "read-only": "Read-only: Meridian discovers what runs there",
  "read-write": "Read-write: deploy and discover",
};

/** Field errors that belong under one input: publicUrls.2 shows under the public URLs. */
function errorFor(errors: Record<string, string>, key: string): string | undefined {
  return errors[key] ?? Object.entries(errors).find(([k]) => k.startsWith(`${key}.`))?.[1];
}

/**
 * Creates or edits an environment. The connection section is generated from the chosen type's
 * descriptor; the name and the type are fixed once the environment exists.
 */
export function EnvironmentForm({
  types,
  environment,
  extraErrors = {},
}: {
  types: ConnectorTypeView[];
  environment?: EnvironmentView;
  extraErrors?: Record<string, string>;
}) {
  const router = useRouter();
  const create = useActionForm(createEnvironmentAction);
  const update = useActionForm(updateEnvironmentAction);
  const action = environment ? update : create;
  const [type, setType] = useState<ConnectorType>(environment?.type ?? "aws");
  const descriptor = types.find((t) => t.type === type) ?? types[0];
  const [mode, setMode] = useState<EnvironmentMode>(environment?.mode ?? descriptor.modes[0]);
  const errors = { ...extraErrors, ...action.fieldErrors };
  const canDiscover = descriptor.capabilities.discover && mode !== "write-only";

  function onTypeChange(next: ConnectorType) {
    setType(next);
    const d = types.find((t) => t.type === next);
    if (d && !d.modes.includes(mode)) setMode(d.modes[0]);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const settings = {
      displayName: String(form.get("displayName") ?? "").trim() || undefined,
      description: String(form.get("description") ?? ""),
      mode,
      region: String(form.get("region") ?? ""),
      publicUrls: String(form.get("publicUrls") ?? "")
        .split(/\s+/)
        .map((u) => u.trim())
        .filter(Boolean),
      visibleRoles: ROLES.filter((r) => form.get(`visible-${r}`) === "on") as Role[],
      discoveryIntervalMinutes: canDiscover ? Number(form.get("discoveryIntervalMinutes") || 0) : 0,
    };
    const config = readConnectionFields(form, descriptor.fields);
    if (environment) {
      const saved = await update.run({
        name: environment.name,
        patch: { ...settings, displayName: settings.displayName ?? environment.name, config },
      });
      if (saved) {
        toast.success(`Environment ${saved.name} saved`);
        router.refresh();
      }
      return;
    }
    // A new environment has nothing stored: empty fields are simply not sent.
    const fresh = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null && v !== ""));
    const saved = await create.run({ name: String(form.get("name") ?? ""), type, ...settings, config: fresh });
    if (saved) {
      toast.success(`Environment ${saved.name} created`);
      router.push(`/admin/environments/${saved.name}`);
    }
  }

  // Field errors show under their inputs; the banner carries the rest.
  const general = Object.keys(action.fieldErrors).length === 0 ? action.error : errors.config;

  return (
    <form onSubmit={onSubmit} className="space-y-8" noValidate aria-label={environment ? "Environment settings" : "New environment"}>
      <FormError message={general} />
      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-3 text-sm font-semibold">General</legend>
        {environment ? (
          <div className="space-y-1">
            <span className="block text-sm font-medium text-slate-700 dark:text-slate-200">Name</span>
            <p className="font-mono text-sm">{environment.name}</p>
            <p className="text-xs text-slate-600 dark:text-slate-400">Names never change: deployments and gateways refer to them.</p>
          </div>
        ) : (
          <Field
            id="env-name"
            label="Name"
            help="2 to 63 lowercase letters, digits and hyphens, starting with a letter. It cannot change later."
            error={errors.name}
          >
            <Input
              id="env-name"
              name="name"
              required
              placeholder="eu-prod"
              autoComplete="off"
              spellCheck={false}
              aria-invalid={!!errors.name}
            />
          </Field>
        )}
        <Field id="env-display-name" label="Display name" error={errors.displayName}>
          <Input
            id="env-display-name"
            name="displayName"
            defaultValue={environment?.displayName}
            placeholder="Production (Europe)"
            aria-invalid={!!errors.displayName}
          />
        </Field>
        <Field id="env-type" label="Type" help={descriptor.description} error={errors.type}>
          {environment ? (
            <p id="env-type" className="py-2 text-sm">
              {descriptor.label}
            </p>
          ) : (
            <Select
              id="env-type"
              name="type"
              value={type}
              onChange={(e) => onTypeChange(e.target.value as ConnectorType)}
              aria-invalid={!!errors.type}
            >
              {types.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="env-mode" label="Mode" error={errors.mode}>
          <Select
            id="env-mode"
            name="mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as EnvironmentMode)}
            aria-invalid={!!errors.mode}
          >
            {descriptor.modes.map((m) => (
              <option key={m} value={m}>
                {MODE_LABELS[m]}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          id="env-region"
          label="Region"
          help="Where the gateway runs, as shown with its traffic (for example eu-west-1)."
          error={errors.region}
        >
          <Input id="env-region" name="region" defaultValue={environment?.region} aria-invalid={!!errors.region} />
        </Field>
        <Field
          id="env-discovery"
          label="Discovery interval (minutes)"
          help={
            canDiscover
              ? "How often Meridian lists the APIs on the gateway; 0 turns discovery off."
              : "Needs a type that discovers and a read mode."
          }
          error={errors.discoveryIntervalMinutes}
        >
          <Input
            id="env-discovery"
            name="discoveryIntervalMinutes"
            type="number"
            min={0}
            max={10080}
            defaultValue={environment?.discoveryIntervalMinutes ?? 0}
            disabled={!canDiscover}
            aria-invalid={!!errors.discoveryIntervalMinutes}
          />
        </Field>
        <Field
          id="env-urls"
          label="Public URLs"
          help="One per line: where consumers call APIs deployed here."
          error={errorFor(errors, "publicUrls")}
          className="md:col-span-2"
        >
          <Textarea
            id="env-urls"
            name="publicUrls"
            rows={2}
            defaultValue={environment?.publicUrls.join("\n")}
            placeholder="https://api.example.com"
            aria-invalid={!!errorFor(errors, "publicUrls")}
          />
        </Field>
        <Field id="env-description" label="Description" error={errors.description} className="md:col-span-2">
          <Textarea id="env-description" name="description" rows={2} className="font-sans" defaultValue={environment?.description} />
        </Field>
        <fieldset className="md:col-span-2">
          <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Visible to</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {ROLES.map((r) => (
              <label key={r} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name={`visible-${r}`} defaultChecked={environment?.visibleRoles.includes(r)} /> {r}
              </label>
            ))}
          </div>
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            Roles that see APIs deployed here in the developer portal. None ticked: everyone, including visitors who are not signed in.
          </p>
          {errorFor(errors, "visibleRoles") && <p className="text-xs text-red-600">{errorFor(errors, "visibleRoles")}</p>}
        </fieldset>
      </fieldset>

      <fieldset>
        <legend className="mb-1 text-sm font-semibold">Connection settings</legend>
        <div className="mb-3 flex flex-wrap gap-1">
          <Badge tone="brand">{descriptor.capabilities.delivery === "pull" ? "pulls from Meridian" : "Meridian pushes"}</Badge>
        </div>
        {descriptor.fields.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            This gateway connects to Meridian with the environment&apos;s gateway token: there is nothing to configure here.
          </p>
        ) : (
          <ConnectionFields
            key={type}
            fields={descriptor.fields}
            values={environment?.config ?? {}}
            secrets={environment?.secrets ?? {}}
            errors={errors}
          />
        )}
      </fieldset>

      <Button type="submit" disabled={action.pending}>
        {action.pending ? "Saving…" : environment ? "Save changes" : "Create environment"}
      </Button>
    </form>
  );
}
