"use client";

import { useMemo, useState, useSyncExternalStore, type FormEvent } from "react";
import { CopyButton } from "@/components/shared/copy-button";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, FormError, Input, Select, Textarea } from "@/components/ui/field";
import type { CatalogApiDetail } from "@/lib/services/catalog/catalog-dto";
import { CredentialFields, type CredentialMode, type TryItApplication } from "./credential-fields";
import { buildCurl, buildUrl, corsProblem, METHODS_WITH_BODY, pathParamNames } from "./request-builder";
import { ResponseView, sendRequest, type TryItResponse } from "./response-view";

type Api = Pick<CatalogApiDetail, "operations" | "gateways" | "security" | "cors">;

const API_KEY_HEADER = "apikey";

// The page's origin never changes; the server renders without one.
const noSubscription = () => () => {};
const browserOrigin = () => window.location.origin;
const serverOrigin = () => null;

function defaultMode(scheme: string): CredentialMode {
  return scheme === "apiKey" ? "apiKey" : scheme === "none" ? "none" : "token";
}

/**
 * Calls an operation from the browser through a gateway, the way an application would: the
 * gateway checks the credential and the subscription, and answers CORS for this page's origin.
 */
export function TryItConsole({ api, applications }: { api: Api; applications: TryItApplication[] | null }) {
  const bases = useMemo(() => api.gateways.flatMap((g) => g.urls.map((url) => ({ url, label: `${g.displayName}${g.region ? ` (${g.region})` : ""}` }))), [api.gateways]);
  const [operationIndex, setOperationIndex] = useState(0);
  const operation = api.operations[operationIndex];
  const [base, setBase] = useState(bases[0]?.url ?? "");
  const [params, setParams] = useState<Record<string, string>>({});
  const [query, setQuery] = useState("");
  const [body, setBody] = useState("");
  const [mode, setMode] = useState<CredentialMode>(defaultMode(operation?.security ?? api.security.scheme));
  const [token, setToken] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [response, setResponse] = useState<TryItResponse | null>(null);
  const origin = useSyncExternalStore(noSubscription, browserOrigin, serverOrigin);

  if (!operation) return <p className="text-sm text-slate-500">This API has no operations to try.</p>;
  if (bases.length === 0) return <p className="text-sm text-slate-500">This API is not deployed to any gateway yet, so there is nothing to call.</p>;

  const names = pathParamNames(operation.path);
  const url = buildUrl(base, operation.path, params, query);
  const hasBody = METHODS_WITH_BODY.has(operation.method) && body.trim() !== "";
  const headers: Array<[string, string]> = [];
  if (mode === "token" && token) headers.push(["Authorization", `Bearer ${token}`]);
  if (mode === "apiKey" && apiKey) headers.push([API_KEY_HEADER, apiKey]);
  if (hasBody) headers.push(["Content-Type", "application/json"]);
  const curl = buildCurl({ method: operation.method, url, headers, body: hasBody ? body : undefined });
  const credentialHeader = mode === "token" ? "authorization" : mode === "apiKey" ? API_KEY_HEADER : null;
  const corsWarning = origin ? corsProblem(api.cors, origin, credentialHeader) : null;

  function chooseOperation(index: number) {
    setOperationIndex(index);
    setParams({});
    setResponse(null);
    setError(null);
    setMode(defaultMode(api.operations[index].security));
  }

  async function onSend(event: FormEvent) {
    event.preventDefault();
    const missing = names.filter((n) => !params[n]?.trim());
    if (missing.length) {
      setError(`Fill in the path parameter${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.`);
      return;
    }
    setPending(true);
    setError(null);
    setResponse(null);
    try {
      setResponse(await sendRequest(url, { method: operation.method, headers, body: hasBody ? body : undefined }));
    } catch {
      setError("The browser could not complete the call: the gateway is unreachable, or its CORS answer does not allow this page. The curl line below works from a terminal.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <Card>
        <CardHeader title="Request" description="Sent from your browser straight to the gateway." />
        <CardBody>
          <form onSubmit={onSend} className="space-y-4" noValidate>
            <Field id="try-operation" label="Operation">
              <Select id="try-operation" value={operationIndex} onChange={(e) => chooseOperation(Number(e.target.value))}>
                {api.operations.map((op, i) => (
                  <option key={`${op.method} ${op.path}`} value={i}>
                    {op.method} {op.path}
                    {op.summary ? ` — ${op.summary}` : ""}
                  </option>
                ))}
              </Select>
            </Field>
            <Field id="try-gateway" label="Gateway">
              <Select id="try-gateway" value={base} onChange={(e) => setBase(e.target.value)}>
                {bases.map((b) => (
                  <option key={b.url} value={b.url}>
                    {b.label}: {b.url}
                  </option>
                ))}
              </Select>
            </Field>
            {names.map((name) => (
              <Field key={name} id={`try-param-${name}`} label={`Path parameter ${name}`}>
                <Input id={`try-param-${name}`} value={params[name] ?? ""} onChange={(e) => setParams({ ...params, [name]: e.target.value })} required />
              </Field>
            ))}
            <Field id="try-query" label="Query string" help="For example limit=10&sort=name">
              <Input id="try-query" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="key=value&…" />
            </Field>
            {METHODS_WITH_BODY.has(operation.method) && (
              <Field id="try-body-input" label="JSON body">
                <Textarea id="try-body-input" rows={6} value={body} onChange={(e) => setBody(e.target.value)} placeholder="{}" />
              </Field>
            )}
            <CredentialFields mode={mode} onModeChange={setMode} token={token} onTokenChange={setToken} apiKey={apiKey} onApiKeyChange={setApiKey} applications={applications} />
            {corsWarning && (
              <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
                {corsWarning}
              </p>
            )}
            <FormError message={error} />
            <Button type="submit" disabled={pending}>
              {pending ? "Sending…" : "Send request"}
            </Button>
          </form>
        </CardBody>
      </Card>
      <div className="space-y-6">
        <Card>
          <CardHeader title="Response" />
          <CardBody>{response ? <ResponseView response={response} /> : <p className="text-sm text-slate-500">{pending ? "Waiting for the gateway…" : "Send the request to see the gateway's answer."}</p>}</CardBody>
        </Card>
        <Card>
          <CardHeader title="curl" actions={<CopyButton value={curl} label="Copy curl" />} />
          <CardBody>
            <pre className="overflow-auto rounded-md bg-slate-100 p-3 font-mono text-xs whitespace-pre-wrap break-all dark:bg-slate-800" data-testid="try-curl">
              {curl}
            </pre>
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
