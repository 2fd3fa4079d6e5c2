"use client";

import Link from "next/link";
import { useMemo, useState, type FormEvent } from "react";
import { CopyButton } from "@/components/shared/copy-button";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, FormError, Input, Select, Textarea } from "@/components/ui/field";
import type { CatalogApiDetail } from "@/lib/services/catalog/catalog-dto";
import { CredentialFields, type CredentialMode, type TryItApplication } from "./credential-fields";
import { tryOperationAction } from "@/lib/actions/developer/try-operation";
import { buildCurl, buildUrl, METHODS_WITH_BODY, pathParamNames } from "./request-builder";
import { ResponseView, toShownResponse, type TryItResponse } from "./response-view";

type Api = Pick<CatalogApiDetail, "id" | "operations" | "gateways" | "security">;

const API_KEY_HEADER = "apikey";

function defaultMode(scheme: string): CredentialMode {
  return scheme === "apiKey" ? "apiKey" : scheme === "none" ? "none" : "token";
}

/**
 * Calls an operation through a gateway, the way an application would: the portal's server sends
 * the request (so the API's CORS settings, which are for other origins, do not stand in the way)
 * and the gateway checks the credential, the subscription and the limits.
 */
export function TryItConsole({ api, applications, signedIn }: { api: Api; applications: TryItApplication[] | null; signedIn: boolean }) {
  const bases = useMemo(
    () => api.gateways.flatMap((g) => g.urls.map((url) => ({ url, label: `${g.displayName}${g.region ? ` (${g.region})` : ""}` }))),
    [api.gateways],
  );
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

  if (!operation) return <p className="text-sm text-slate-500">This API has no operations to try.</p>;
  if (bases.length === 0)
    return <p className="text-sm text-slate-500">This API is not deployed to any gateway yet, so there is nothing to call.</p>;

  const names = pathParamNames(operation.path);
  const url = buildUrl(base, operation.path, params, query);
  const hasBody = METHODS_WITH_BODY.has(operation.method) && body.trim() !== "";
  const headers: Array<[string, string]> = [];
  if (mode === "token" && token) headers.push(["Authorization", `Bearer ${token}`]);
  if (mode === "apiKey" && apiKey) headers.push([API_KEY_HEADER, apiKey]);
  if (hasBody) headers.push(["Content-Type", "application/json"]);
  const curl = buildCurl({ method: operation.method, url, headers, body: hasBody ? body : undefined });

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
      const result = await tryOperationAction({
        apiId: api.id,
        base,
        method: operation.method,
        path: operation.path,
        params,
        query,
        headers,
        body: hasBody ? body : undefined,
      });
      if (result.ok) setResponse(toShownResponse(result.data));
      else setError(result.message);
    } catch {
      setError("The portal could not be reached. The curl line below works from a terminal.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <Card>
        <CardHeader title="Request" description="Sent to the gateway by the portal's server, as your application would send it." />
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
                <Input
                  id={`try-param-${name}`}
                  value={params[name] ?? ""}
                  onChange={(e) => setParams({ ...params, [name]: e.target.value })}
                  required
                />
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
            <CredentialFields
              mode={mode}
              onModeChange={setMode}
              token={token}
              onTokenChange={setToken}
              apiKey={apiKey}
              onApiKeyChange={setApiKey}
              applications={applications}
            />
            {!signedIn && (
              <p role="note" className="text-sm text-slate-600 dark:text-slate-400">
                <Link
                  href={`/signin?callbackUrl=${encodeURIComponent(`/apis/${api.id}/try`)}`}
                  className="font-medium text-brand-600 hover:underline"
                >
                  Sign in
                </Link>{" "}
                to send requests from this page; the curl line works from a terminal.
              </p>
            )}
            <FormError message={error} />
            <Button type="submit" disabled={pending || !signedIn}>
              {pending ? "Sending…" : "Send request"}
            </Button>
          </form>
        </CardBody>
      </Card>
      <div className="space-y-6">
        <Card>
          <CardHeader title="Response" />
          <CardBody>
            {response ? (
              <ResponseView response={response} />
            ) : (
              <p className="text-sm text-slate-500">
                {pending ? "Waiting for the gateway…" : "Send the request to see the gateway's answer."}
              </p>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="curl" actions={<CopyButton value={curl} label="Copy curl" />} />
          <CardBody>
            <pre
              className="overflow-auto rounded-md bg-slate-100 p-3 font-mono text-xs whitespace-pre-wrap break-all dark:bg-slate-800"
              data-testid="try-curl"
            >
              {curl}
            </pre>
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
