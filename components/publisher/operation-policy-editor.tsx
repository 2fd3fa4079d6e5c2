"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import { useActionForm } from "@/components/shared/use-action-form";
import { updateOperationPolicyAction } from "@/lib/actions/publisher/update-operation-policy";
import type { ApiOperation, RateLimit, SecurityScheme } from "@/lib/domain/openapi/operations";

const SCHEME_LABELS: Record<SecurityScheme, string> = { oauth2: "OAuth2", apiKey: "API key", none: "None" };

function describeLimit(limit: RateLimit | null): string {
  return limit ? `${limit.requests}/${limit.unit}${limit.burst ? ` (burst ${limit.burst})` : ""}` : "";
}

const sameScopes = (a: string[], b: string[]) => [...new Set(a)].sort().join(" ") === [...new Set(b)].sort().join(" ");

/** One operation's security, OAuth2 scopes and rate limit: shown, and editable in place. */
export function OperationPolicyEditor({
  apiId,
  operation,
  apiScheme,
  apiLimit,
  canWrite,
}: {
  apiId: string;
  operation: ApiOperation;
  apiScheme: SecurityScheme;
  apiLimit: RateLimit | null;
  canWrite: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [limited, setLimited] = useState(operation.rateLimit !== null);
  const { run, pending, error } = useActionForm(updateOperationPolicyAction);
  const label = `${operation.method.toUpperCase()} ${operation.path}`;
  const documentScopes = operation.documentScopes ?? [];
  const scopes = operation.scopes ?? documentScopes;
  const oauth = (operation.security ?? apiScheme) === "oauth2";

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const security = String(form.get("security") ?? "");
    const entered = String(form.get("scopes") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean);
    const result = await run({
      id: apiId,
      policy: {
        method: operation.method,
        path: operation.path,
        security: security ? (security as SecurityScheme) : null,
        rateLimit: limited
          ? {
              requests: Number(form.get("requests")),
              unit: String(form.get("unit")) as RateLimit["unit"],
              burst: Number(form.get("burst") || 0),
            }
          : null,
        // The document's own scopes are followed rather than copied, so that editing the document updates them.
        scopes: sameScopes(entered, documentScopes) ? null : entered,
      },
    });
    if (result) {
      toast.success(`Policy of ${label} saved`);
      setOpen(false);
      router.refresh();
    }
  }

  if (!open) {
    return (
      <div className="flex items-center justify-end gap-3 text-xs">
        <span>
          {operation.security ? (
            <strong>{SCHEME_LABELS[operation.security]}</strong>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">{SCHEME_LABELS[apiScheme]} (API)</span>
          )}
          {oauth && scopes.length > 0 && (
            <>
              {" · "}
              <span data-testid="operation-scopes">
                {operation.scopes ? (
                  <strong className="font-mono">{scopes.join(" ")}</strong>
                ) : (
                  <span className="font-mono text-slate-600 dark:text-slate-400">{scopes.join(" ")} (document)</span>
                )}
              </span>
            </>
          )}
          {" · "}
          {operation.rateLimit ? (
            <strong>{describeLimit(operation.rateLimit)}</strong>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">{apiLimit ? `${describeLimit(apiLimit)} (API)` : "no limit"}</span>
          )}
        </span>
        {canWrite && (
          <Button variant="secondary" size="sm" onClick={() => setOpen(true)} aria-label={`Edit policy of ${label}`}>
            Edit
          </Button>
        )}
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end justify-end gap-2 text-xs" aria-label={`Policy of ${label}`}>
      <label className="space-y-1">
        <span className="block">Security</span>
        <Select name="security" defaultValue={operation.security ?? ""} className="h-8 py-0 text-xs">
          <option value="">As the API ({SCHEME_LABELS[apiScheme]})</option>
          <option value="oauth2">OAuth2</option>
          <option value="apiKey">API key</option>
          <option value="none">None</option>
        </Select>
      </label>
      <label className="space-y-1">
        <span className="block">Scopes</span>
        <Input
          name="scopes"
          defaultValue={scopes.join(" ")}
          placeholder="read:pets write:pets"
          title="OAuth2 scopes a token must all carry, separated by spaces. They apply when the operation is secured with OAuth2."
          className="h-8 w-48 py-0 font-mono text-xs"
        />
      </label>
      <label className="flex items-center gap-1 pb-2">
        <input type="checkbox" checked={limited} onChange={(e) => setLimited(e.target.checked)} /> Own rate limit
      </label>
      {limited && (
        <>
          <label className="space-y-1">
            <span className="block">Requests</span>
            <Input
              name="requests"
              type="number"
              min={1}
              defaultValue={operation.rateLimit?.requests ?? 100}
              className="h-8 w-24 py-0 text-xs"
            />
          </label>
          <label className="space-y-1">
            <span className="block">Per</span>
            <Select name="unit" defaultValue={operation.rateLimit?.unit ?? "minute"} className="h-8 py-0 text-xs">
              {["second", "minute", "hour", "day"].map((u) => (
                <option key={u}>{u}</option>
              ))}
            </Select>
          </label>
          <label className="space-y-1">
            <span className="block">Burst</span>
            <Input name="burst" type="number" min={0} defaultValue={operation.rateLimit?.burst ?? 0} className="h-8 w-20 py-0 text-xs" />
          </label>
        </>
      )}
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      {error && (
        <p role="alert" className="w-full text-right text-red-600">
          {error}
        </p>
      )}
    </form>
  );
}
