"use client";

import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { generateTokenAction } from "@/lib/actions/developer/generate-token";
import { requestKeyManagerTokenAction } from "@/lib/actions/developer/request-key-manager-token";

export type CredentialMode = "token" | "apiKey" | "none";

export interface TryItApplication {
  id: string;
  name: string;
  keyTypes: string[];
  /** Clients at external key managers: a token for Try it comes from the provider. */
  externalClients?: Array<{ id: string; keyManagerName: string; keyType: string; clientId: string }>;
}

interface Props {
  mode: CredentialMode;
  onModeChange: (mode: CredentialMode) => void;
  token: string;
  onTokenChange: (token: string) => void;
  apiKey: string;
  onApiKeyChange: (key: string) => void;
  /** Null when the visitor has no applications to take a token from (signed out, or not a subscriber). */
  applications: TryItApplication[] | null;
}

const MODES: Array<{ value: CredentialMode; label: string }> = [
  { value: "token", label: "Access token" },
  { value: "apiKey", label: "API key" },
  { value: "none", label: "None" },
];

/** How the request authenticates: a token (pasted, or generated for one of your applications), an API key, or nothing. */
export function CredentialFields({ mode, onModeChange, token, onTokenChange, apiKey, onApiKeyChange, applications }: Props) {
  const withClients = (applications ?? []).filter((a) => a.keyTypes.length > 0 || (a.externalClients?.length ?? 0) > 0);
  const [appId, setAppId] = useState(withClients[0]?.id ?? "");
  const app = withClients.find((a) => a.id === appId);
  const [keyType, setKeyType] = useState("production");
  // "builtin", or the id of one of the application's external clients.
  const [source, setSource] = useState("builtin");
  const generate = useActionForm(generateTokenAction);
  const external = useActionForm(requestKeyManagerTokenAction);
  const externals = app?.externalClients ?? [];
  const externalClient = externals.find((c) => c.id === source) ?? (app && app.keyTypes.length === 0 ? externals[0] : undefined);
  const effectiveKeyType = app?.keyTypes.includes(keyType) ? keyType : (app?.keyTypes[0] ?? "production");
  const pending = generate.pending || external.pending;

  async function onGenerate() {
    if (!app) return;
    if (externalClient) {
      const result = await external.run({ id: app.id, clientId: externalClient.id });
      if (result) onTokenChange(result.accessToken);
      return;
    }
    const result = await generate.run({ id: app.id, input: { keyType: effectiveKeyType as "production" | "sandbox" } });
    if (result) onTokenChange(result.access_token);
  }

  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Authentication</legend>
      <div className="flex flex-wrap gap-4 text-sm" role="radiogroup" aria-label="Credential">
        {MODES.map((m) => (
          <label key={m.value} className="flex items-center gap-2">
            <input type="radio" name="credential" value={m.value} checked={mode === m.value} onChange={() => onModeChange(m.value)} />
            {m.label}
          </label>
        ))}
      </div>
      {mode === "token" && (
        <div className="space-y-3">
          {applications && (
            <div className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
              {withClients.length === 0 ? (
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  To get a token here, generate OAuth2 credentials for one of your{" "}
                  <Link href="/applications" className="text-brand-600 hover:underline">
                    applications
                  </Link>{" "}
                  first.
                </p>
              ) : (
                <div className="flex flex-wrap items-end gap-3">
                  <Field id="try-app" label="Application" className="min-w-48 flex-1">
                    <Select id="try-app" value={appId} onChange={(e) => setAppId(e.target.value)}>
                      {withClients.map((a) => (
                        <option key={a.id} value={a.id}>
                          {a.name}
                        </option>
                      ))}
                    </Select>
                  </Field>
                  {externals.length > 0 && (
                    <Field id="try-key-manager" label="Key manager" className="min-w-48">
                      <Select id="try-key-manager" value={externalClient?.id ?? "builtin"} onChange={(e) => setSource(e.target.value)}>
                        {app && app.keyTypes.length > 0 && <option value="builtin">Meridian</option>}
                        {externals.map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.keyManagerName} ({c.keyType})
                          </option>
                        ))}
                      </Select>
                    </Field>
                  )}
                  {!externalClient && (
                    <Field id="try-key-type" label="Keys" className="w-40">
                      <Select id="try-key-type" value={effectiveKeyType} onChange={(e) => setKeyType(e.target.value)}>
                        {(app?.keyTypes ?? []).map((k) => (
                          <option key={k} value={k}>
                            {k === "production" ? "Production" : "Sandbox"}
                          </option>
                        ))}
                      </Select>
                    </Field>
                  )}
                  <Button variant="secondary" onClick={onGenerate} disabled={pending || !app}>
                    {pending ? "Getting a token…" : "Get a token"}
                  </Button>
                </div>
              )}
              <FormError message={generate.error ?? external.error} />
            </div>
          )}
          <Field id="try-token" label="Access token" help="Sent as Authorization: Bearer …">
            <Input
              id="try-token"
              value={token}
              onChange={(e) => onTokenChange(e.target.value.trim())}
              placeholder="eyJ…"
              autoComplete="off"
              spellCheck={false}
              className="font-mono text-xs"
            />
          </Field>
        </div>
      )}
      {mode === "apiKey" && (
        <Field
          id="try-api-key"
          label="API key"
          help="API keys are shown once, when created: paste one of your application's keys. Sent in the apikey header."
        >
          <Input
            id="try-api-key"
            value={apiKey}
            onChange={(e) => onApiKeyChange(e.target.value.trim())}
            placeholder="mrd_…"
            autoComplete="off"
            spellCheck={false}
            className="font-mono text-xs"
          />
        </Field>
      )}
    </fieldset>
  );
}
