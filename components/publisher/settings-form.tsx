"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, FormError, Input, Select, Textarea } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { updateApiAction } from "@/lib/actions/publisher/update-api";
import { ROLES } from "@/lib/auth/permissions";
import type { ApiDetail } from "@/lib/services/apis/api-dto";
import { readTierChoice, TierChoice, type TierOption } from "./tier-choice";

const CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
const UNITS = ["second", "minute", "hour", "day"] as const;

const list = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

interface OverrideRow {
  key: number;
  environment: string;
  production: string;
  sandbox: string;
}

/** Overview and settings of an API: one form, saved together. */
export function SettingsForm({ api, tiers }: { api: ApiDetail; tiers: TierOption[] }) {
  const router = useRouter();
  const { run, pending, error, fieldErrors: rawErrors } = useActionForm(updateApiAction);
  const fieldErrors = Object.fromEntries(Object.entries(rawErrors).map(([k, v]) => [k.replace(/^patch\./, ""), v]));
  const [scheme, setScheme] = useState(api.security.scheme);
  const [visibility, setVisibility] = useState(api.visibility);
  const [limited, setLimited] = useState(api.rateLimit !== null);
  const [corsEnabled, setCorsEnabled] = useState(api.cors.enabled);
  const [overrides, setOverrides] = useState<OverrideRow[]>(
    Object.entries(api.endpoints.overrides).map(([environment, o], i) => ({
      key: i,
      environment,
      production: o.production ?? "",
      sandbox: o.sandbox ?? "",
    })),
  );
  const [nextKey, setNextKey] = useState(overrides.length);
  const [tierError, setTierError] = useState<string | undefined>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const str = (k: string) => String(form.get(k) ?? "").trim();
    const allowedTiers = readTierChoice(form);
    // Saving "only these" with none ticked would store an empty list, which means every tier.
    setTierError(allowedTiers ? undefined : "Tick at least one tier, or offer every tier.");
    if (!allowedTiers) return;
    const saved = await run({
      id: api.id,
      patch: {
        name: str("name"),
        version: str("version"),
        context: str("context"),
        description: str("description"),
        tags: list(form.get("tags")),
        endpoints: {
          production: str("production") || null,
          sandbox: str("sandbox") || null,
          overrides: Object.fromEntries(
            overrides
              .filter((o) => o.environment.trim())
              .map((o) => [o.environment.trim(), { production: o.production.trim() || null, sandbox: o.sandbox.trim() || null }]),
          ),
        },
        security: { scheme, apiKeyHeader: str("apiKeyHeader") || "apikey" },
        rateLimit: limited
          ? { requests: Number(str("rlRequests")), unit: str("rlUnit") as (typeof UNITS)[number], burst: Number(str("rlBurst") || 0) }
          : null,
        cors: {
          enabled: corsEnabled,
          origins: list(form.get("corsOrigins")),
          methods: CORS_METHODS.filter((m) => form.get(`cors-${m}`) === "on"),
          headers: list(form.get("corsHeaders")),
          credentials: form.get("corsCredentials") === "on",
        },
        allowedTiers,
        visibility,
        visibleRoles: visibility === "roles" ? ROLES.filter((r) => form.get(`role-${r}`) === "on") : [],
        owners: list(form.get("owners")),
      },
    });
    if (saved) {
      toast.success("Settings saved");
      router.refresh();
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-6" noValidate aria-label="API settings">
      <Card>
        <CardHeader title="General" />
        <CardBody className="grid gap-4 md:grid-cols-3">
          <Field id="s-name" label="Name" error={fieldErrors.name}>
            <Input id="s-name" name="name" defaultValue={api.name} required />
          </Field>
          <Field id="s-version" label="Version" error={fieldErrors.version}>
            <Input id="s-version" name="version" defaultValue={api.version} required />
          </Field>
          <Field id="s-context" label="Context" help="Unique per version." error={fieldErrors.context}>
            <Input id="s-context" name="context" defaultValue={api.context} required className="font-mono" />
          </Field>
          <Field id="s-description" label="Description" error={fieldErrors.description} className="md:col-span-3">
            <Textarea id="s-description" name="description" defaultValue={api.description} rows={3} className="font-sans" />
          </Field>
          <Field id="s-tags" label="Tags" help="Separated by commas." error={fieldErrors.tags} className="md:col-span-3">
            <Input id="s-tags" name="tags" defaultValue={api.tags.join(", ")} />
          </Field>
        </CardBody>
      </Card>

      <Card>
        <CardHeader
          title="Endpoints"
          description="The backends the gateways call. An environment override replaces them on that gateway environment."
        />
        <CardBody className="space-y-4">
          <div className="grid gap-4 md:grid-cols-2">
            <Field id="s-production" label="Production endpoint" error={fieldErrors["endpoints.production"]}>
              <Input
                id="s-production"
                name="production"
                type="url"
                defaultValue={api.endpoints.production ?? ""}
                placeholder="https://backend.example.com"
              />
            </Field>
            <Field id="s-sandbox" label="Sandbox endpoint" error={fieldErrors["endpoints.sandbox"]}>
              <Input
                id="s-sandbox"
                name="sandbox"
                type="url"
                defaultValue={api.endpoints.sandbox ?? ""}
                placeholder="https://sandbox.example.com"
              />
            </Field>
          </div>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Per-environment overrides</legend>
            {overrides.length === 0 && (
              <p className="text-xs text-slate-600 dark:text-slate-400">None: every environment uses the endpoints above.</p>
            )}
            {overrides.map((o, i) => (
              <div key={o.key} className="grid gap-2 md:grid-cols-[12rem_1fr_1fr_auto]">
                <Input
                  aria-label={`Environment name of override ${i + 1}`}
                  value={o.environment}
                  placeholder="environment name"
                  onChange={(e) => setOverrides((r) => r.map((x) => (x.key === o.key ? { ...x, environment: e.target.value } : x)))}
                />
                <Input
                  aria-label={`Production URL of override ${i + 1}`}
                  value={o.production}
                  placeholder="production URL"
                  onChange={(e) => setOverrides((r) => r.map((x) => (x.key === o.key ? { ...x, production: e.target.value } : x)))}
                />
                <Input
                  aria-label={`Sandbox URL of override ${i + 1}`}
                  value={o.sandbox}
                  placeholder="sandbox URL"
                  onChange={(e) => setOverrides((r) => r.map((x) => (x.key === o.key ? { ...x, sandbox: e.target.value } : x)))}
                />
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() => setOverrides((r) => r.filter((x) => x.key !== o.key))}
                  aria-label={`Remove override ${i + 1}`}
                >
                  Remove
                </Button>
              </div>
            ))}
            {Object.entries(fieldErrors)
              .filter(([k]) => k.startsWith("endpoints.overrides"))
              .map(([k, v]) => (
                <p key={k} className="text-xs text-red-600">
                  {v}
                </p>
              ))}
            <Button
              variant="secondary"
              size="sm"
              onClick={() => {
                setOverrides((r) => [...r, { key: nextKey, environment: "", production: "", sandbox: "" }]);
                setNextKey((k) => k + 1);
              }}
            >
              Add environment override
            </Button>
          </fieldset>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Security" description="How consumers authenticate. Operations can override it on the Operations tab." />
        <CardBody className="space-y-4">
          <fieldset>
            <legend className="sr-only">Security scheme</legend>
            <div className="flex flex-wrap gap-4">
              {(
                [
                  ["oauth2", "OAuth2 (Meridian access tokens)"],
                  ["apiKey", "API key"],
                  ["none", "None (open)"],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="flex items-center gap-2 text-sm">
                  <input type="radio" name="scheme" value={value} checked={scheme === value} onChange={() => setScheme(value)} /> {label}
                </label>
              ))}
            </div>
          </fieldset>
          {scheme === "apiKey" && (
            <Field id="s-key-header" label="API key header" error={fieldErrors["security.apiKeyHeader"]} className="max-w-xs">
              <Input id="s-key-header" name="apiKeyHeader" defaultValue={api.security.apiKeyHeader} />
            </Field>
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Policies" description="Subscription tiers, the API-level rate limit and CORS." />
        <CardBody className="space-y-5">
          <TierChoice tiers={tiers} allowed={api.allowedTiers} error={tierError ?? fieldErrors.allowedTiers} />
          <div className="space-y-2">
            <label className="flex items-center gap-2 text-sm font-medium">
              <input type="checkbox" checked={limited} onChange={(e) => setLimited(e.target.checked)} /> Limit the whole API&apos;s rate
            </label>
            {limited && (
              <div className="grid max-w-xl gap-3 sm:grid-cols-3">
                <Field id="s-rl-requests" label="Requests" error={fieldErrors["rateLimit.requests"]}>
                  <Input id="s-rl-requests" name="rlRequests" type="number" min={1} defaultValue={api.rateLimit?.requests ?? 1000} />
                </Field>
                <Field id="s-rl-unit" label="Per">
                  <Select id="s-rl-unit" name="rlUnit" defaultValue={api.rateLimit?.unit ?? "minute"}>
                    {UNITS.map((u) => (
                      <option key={u}>{u}</option>
                    ))}
                  </Select>
                </Field>
                <Field id="s-rl-burst" label="Burst" error={fieldErrors["rateLimit.burst"]}>
                  <Input id="s-rl-burst" name="rlBurst" type="number" min={0} defaultValue={api.rateLimit?.burst ?? 0} />
                </Field>
              </div>
            )}
          </div>
          <div className="space-y-3">
            <label className="flex items-center gap-2 text-sm font-medium">
              <input type="checkbox" checked={corsEnabled} onChange={(e) => setCorsEnabled(e.target.checked)} /> Enable CORS
            </label>
            {corsEnabled && (
              <div className="grid gap-4 md:grid-cols-2">
                <Field
                  id="s-cors-origins"
                  label="Allowed origins"
                  help="Separated by commas; * for any."
                  error={fieldErrors["cors.origins"]}
                >
                  <Input id="s-cors-origins" name="corsOrigins" defaultValue={api.cors.origins.join(", ")} />
                </Field>
                <Field id="s-cors-headers" label="Allowed headers" error={fieldErrors["cors.headers"]}>
                  <Input id="s-cors-headers" name="corsHeaders" defaultValue={api.cors.headers.join(", ")} />
                </Field>
                <fieldset className="md:col-span-2">
                  <legend className="text-sm font-medium">Allowed methods</legend>
                  <div className="mt-1 flex flex-wrap gap-3">
                    {CORS_METHODS.map((m) => (
                      <label key={m} className="flex items-center gap-1 text-xs">
                        <input type="checkbox" name={`cors-${m}`} defaultChecked={api.cors.methods.includes(m)} /> {m}
                      </label>
                    ))}
                  </div>
                </fieldset>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="corsCredentials" defaultChecked={api.cors.credentials} /> Allow credentials
                </label>
              </div>
            )}
          </div>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Visibility and owners" />
        <CardBody className="space-y-4">
          <fieldset>
            <legend className="text-sm font-medium">Who sees the API in the developer portal</legend>
            <div className="mt-1 flex flex-wrap gap-4">
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name="visibility" checked={visibility === "public"} onChange={() => setVisibility("public")} /> Everyone
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name="visibility" checked={visibility === "roles"} onChange={() => setVisibility("roles")} /> Only these
                roles
              </label>
            </div>
            {visibility === "roles" && (
              <div className="mt-2 flex gap-4">
                {ROLES.map((r) => (
                  <label key={r} className="flex items-center gap-1 text-sm">
                    <input type="checkbox" name={`role-${r}`} defaultChecked={api.visibleRoles.includes(r)} /> {r}
                  </label>
                ))}
              </div>
            )}
            {fieldErrors.visibleRoles && <p className="text-xs text-red-600">{fieldErrors.visibleRoles}</p>}
          </fieldset>
          <Field
            id="s-owners"
            label="Owners"
            help="Emails of the publishers who may edit this API, separated by commas or lines."
            error={fieldErrors.owners}
          >
            <Textarea
              id="s-owners"
              name="owners"
              rows={2}
              defaultValue={api.owners.map((o) => o.email ?? o.id).join(", ")}
              className="font-sans"
            />
          </Field>
        </CardBody>
      </Card>

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save settings"}
        </Button>
        <FormError message={error && Object.keys(fieldErrors).length === 0 ? error : null} />
        {error && Object.keys(fieldErrors).length > 0 && (
          <p role="alert" className="text-sm text-red-600">
            Some fields need attention.
          </p>
        )}
      </div>
    </form>
  );
}
